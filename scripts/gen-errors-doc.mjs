// Prints the table of docs/errors.md from src/errors/catalogue.ts: `node --import tsx scripts/gen-errors-doc.mjs`.
const { ERRORS } = await import('../src/errors/catalogue.ts');
console.log('| code | HTTP status | meaning |\n|---|---|---|');
for (const [code, { status, doc }] of Object.entries(ERRORS)) console.log(`| \`${code}\` | ${status} | ${doc} |`);
