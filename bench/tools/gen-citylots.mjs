#!/usr/bin/env node
// Deterministic CityLots-shaped corpus generator (no dependencies).
//
//   node gen-citylots.mjs [count=213068] [seed=1] [--cl2] > out.jsonl
//
// Writes `count` lines, one GeoJSON Feature per line, shaped like the San Francisco
// "citylots" features that aws/event-ruler and timbray/quamina benchmark against:
//   {"type":"Feature","properties":{"MAPBLKLOT":…,"BLKLOT":…,"BLOCK_NUM":…,"LOT_NUM":…,
//    "FROM_ST":…,"TO_ST":…,"STREET":…,"ST_TYPE":…,"ODD_EVEN":…},
//    "geometry":{"type":"Polygon","coordinates":[[[lon,lat,0.0],…]]}}
//
// --cl2 writes the geometry the way event-ruler's citylots2 file has it ("structured arrays"; the
// file itself is not available, the shape is inferred from its NUMERIC and COMPLEX_ARRAYS rules,
// which need it): every [lon,lat,z] point becomes {"x":lon,"y":lat,"z":z}, and the first point is
// repeated as "firstCoordinates". Properties and coordinate values are the same with or without it.
//
// Value spread follows the real features in test/fixtures/matching (cl-sample-*, citylots-partial.json):
// block/lot formats (0012003, 0012003A, condo units whose MAPBLKLOT is the parent lot, 0026T
// blocks), UNKNOWN streets with 0/0/null/E, a few all-null addresses, lots of 4–40 points that
// share corners with their neighbours, coordinates inside San Francisco, ~0.07 % MultiPolygons.
// Street names are real San Francisco streets, weighted so that first letters roughly follow the
// full data set. Average line: ~850 bytes (~1090 with --cl2) at the default count.
//
// Determinism: a seeded 32-bit PRNG (sfc32), integer arithmetic, + - * / and Math.sqrt (all exactly
// rounded) and Number-to-string (shortest round trip), so the same arguments give byte-identical
// output. Output for one count is not a prefix of a larger count's (blocks are spread by count).

const argv = process.argv.slice(2);
const cl2 = argv.includes('--cl2');
const pos = argv.filter((a) => !a.startsWith('--'));
const COUNT = pos[0] === undefined ? 213068 : Number(pos[0]);
const SEED = pos[1] === undefined ? 1 : Number(pos[1]);
if (!Number.isInteger(COUNT) || COUNT < 0 || !Number.isInteger(SEED)) {
  process.stderr.write('usage: node gen-citylots.mjs [count=213068] [seed=1] [--cl2]\n');
  process.exit(2);
}

// ---------- PRNG: splitmix32 seeding + sfc32 ----------
function makeRng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const rnd = () => u32() / 4294967296; // exact: [0,1)
  return {
    rnd,
    int: (n) => Math.floor(rnd() * n), // 0..n-1
    range: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)), // lo..hi inclusive
    chance: (p) => rnd() < p,
  };
}
const R = makeRng(SEED);

// ---------- streets: name, ST_TYPE, weight (≈ lots in the 213k real file) ----------
// "~" as type means ST_TYPE null. UNKNOWN is handled specially (FROM/TO "0", type null, "E").
const STREETS_SRC = `
ALEMANY BLVD 700|ANZA ST 1400|ARGUELLO BLVD 500|ALABAMA ST 700|ARKANSAS ST 450|ASHBURY ST 450|ALVARADO ST 300|ANDOVER ST 350|ATHENS ST 300|AVALON AVE 200|ALLISON ST 150|ACADIA ST 10|ACTON ST 14|ALPINE TER 60|ALTA ST 50|APTOS AVE 150|ARLINGTON ST 100
BALBOA ST 1500|BUSH ST 1250|BRYANT ST 1400|BROADWAY ~ 1100|BAKER ST 700|BEACH ST 211|BAY ST 500|BRODERICK ST 800|BUCHANAN ST 900|BRANNAN ST 1000|BOSWORTH ST 200|BANKS ST 250|BRUNSWICK ST 150|BRAZIL ST 450|BELVEDERE ST 200|BLAKE ST 120|BLANKEN AVE 110|BLYTHDALE AVE 90|BLAIRWOOD LN 20|BLUXOME ST 90|BLACKSTONE CT 12|BARTLETT ST 200|BEMIS ST 150|BAYSHORE BLVD 300|BURROWS ST 400|BRIGHTON AVE 300|BENTON AVE 150|BURKE AVE 100
CALIFORNIA ST 2400|CLEMENT ST 900|CLAY ST 1500|CHESTNUT ST 825|CASTRO ST 1000|CHURCH ST 900|CAPP ST 350|CABRILLO ST 1200|CLIPPER ST 300|CLAYTON ST 700|COLUMBUS AVE 500|CORBETT AVE 500|CORTLAND AVE 500|CAYUGA AVE 450|CRESCENT AVE 300|COLE ST 450|CESAR CHAVEZ ST 600|COLLINGWOOD ST 200|CHENERY ST 300|CAMBRIDGE ST 400|CAROLINA ST 350|CHICAGO WAY 30|COLERIDGE ST 170
DIVISADERO ST 900|DOLORES ST 800|DIAMOND ST 700|DE HARO ST 450|DUBOCE AVE 500|DOUGLASS ST 450|DELANO AVE 350|DRUMM ST 13|DRAKE ST 20|DRUMMOND ALY 5|DEWEY BLVD 200|DALEWOOD WAY 60|DAVIDSON AVE 200|DIAMOND HEIGHTS BLVD 500|DUNCAN ST 450|DIVISION ST 250|DORLAND ST 100|DONAHUE ST 176
EDDY ST 900|ELLIS ST 800|EUCLID AVE 300|EXCELSIOR AVE 400|EL CAMINO DEL MAR ~ 150|ELIZABETH ST 350|EVANS AVE 150|ELSIE ST 150|EDGEHILL WAY 80|ESMERALDA AVE 122
FULTON ST 1910|FUNSTON AVE 477|FOLSOM ST 1390|FELL ST 700|FILBERT ST 900|FRANCISCO ST 700|FRANKLIN ST 500|FREDERICK ST 400|FLORIDA ST 300|FOERSTER ST 150|FRANCE AVE 250|FOOTE AVE 60|FAIR OAKS ST 162|FARALLONES ST 100
GEARY BLVD 1800|GREEN ST 1000|GREENWICH ST 1100|GOUGH ST 900|GUERRERO ST 800|GENEVA AVE 600|GOLDEN GATE AVE 700|GROVE ST 600|GIRARD ST 250|GOETTINGEN ST 250|GOLDING LN 60|GILMAN AVE 200|GRAFTON AVE 200|GAVEN ST 95
HYDE ST 1758|HAYES ST 800|HARRISON ST 1500|HAIGHT ST 500|HOWARD ST 900|HOLLOWAY AVE 400|HUDSON AVE 300|HARDING RD 100|HOFFMAN AVE 200|HAMPSHIRE ST 400|HARTFORD ST 200|HOLLY PARK CIR 100|HENRY ST 100|HERMANN ST 100|HAVELOCK ST 150|HIGHLAND AVE 71|HOLYOKE ST 250
IRVING ST 900|INDIANA ST 150|ILLINOIS ST 100|INGALLS ST 80|ITALY AVE 100
JACKSON ST 1800|JUDAH ST 1100|JEFFERSON ST 131|JERSEY ST 300|JONES ST 400|JERROLD AVE 122
KIRKHAM ST 900|KING ST 1200|KEARNY ST 300|KANSAS ST 195
LAKE ST 650|LAWTON ST 1100|LINCOLN WAY 700|LEAVENWORTH ST 1400|LARKIN ST 1000|LOMBARD ST 800|LANSING ST 120|LYON ST 400|LAGUNA ST 900|LISBON ST 400|LONDON ST 400|LA SALLE AVE 98|LAUREL ST 300
MISSION ST 3200|MASON ST 2657|MASONIC AVE 293|MARKET ST 1800|MORAGA ST 1200|MCALLISTER ST 700|MADRID ST 400|MISSOURI ST 350|MINNESOTA ST 250|MONTEREY BLVD 700|MANSELL ST 200|MOULTON ST 22|MARINA BLVD 300|MAGELLAN AVE 100|MANCHESTER ST 150|MADISON ST 200|MERCED AVE 150|MONTGOMERY ST 700|MIRAMAR AVE 400|MANGELS AVE 300|MIDDLE POINT RD 296
NORIEGA ST 1300|NOE ST 700|NORTH POINT ST 400|NEW MONTGOMERY ST 100|NATOMA ST 400|NEWCOMB AVE 200|NIANTIC AVE 200|NORTHWOOD DR 100|NAPLES ST 310
OCEAN AVE 900|OAK ST 700|OCTAVIA ST 600|ORTEGA ST 500|OAKDALE AVE 250|ORIZABA AVE 250|OTIS ST 100|ONONDAGA AVE 113
PACIFIC AVE 1100|PINE ST 1300|POST ST 1000|POLK ST 900|POWELL ST 900|PAGE ST 700|PACHECO ST 1100|PORTOLA DR 500|POTRERO AVE 500|PRECITA AVE 200|PERSIA AVE 300|PALOU AVE 300|PARNASSUS AVE 400|PENNSYLVANIA AVE 300|PERSHING DR 80|PLYMOUTH AVE 400|PRAGUE ST 200|PARIS ST 370|PIERCE ST 700
QUINTARA ST 600|QUESADA AVE 119
RIVERA ST 1200|RHODE ISLAND ST 328|RANDOLPH ST 250|RUSSIA AVE 300|REDDING ST 60|RIPLEY ST 150|RUTLAND ST 150|ROOSEVELT WAY 300|REVERE AVE 200|RANDALL ST 200|RICHLAND AVE 200|RAYMOND AVE 150|ROLPH ST 100|ROSS ALY 16|ROCKDALE DR 150|RIVOLI ST 100|RUTLEDGE ST 150|RAMSELL ST 150|ROMAIN ST 100|RIO VERDE ST 100
SACRAMENTO ST 1800|SUTTER ST 1300|STOCKTON ST 1000|STEINER ST 800|SANCHEZ ST 800|SHOTWELL ST 400|SOUTH VAN NESS AVE 500|SAN JOSE AVE 700|SILVER AVE 600|SLOAT BLVD 500|SANTIAGO ST 600|SAN DIEGO AVE 50|SAN BRUNO AVE 600|SCOTT ST 800|SHRADER ST 300|STANYAN ST 400|SPRUCE ST 200|STERLING ST 150|SPRING ST 40|STILLMAN ST 60|SKYLINE BLVD 200|SAGAMORE ST 100|SENECA AVE 150|SHERIDAN ST 100|SUNNYDALE AVE 400|SHIELDS ST 400|SARGENT ST 305
TARAVAL ST 1300|TAYLOR ST 1000|TEHAMA ST 300|TEXAS ST 300|TREAT AVE 200|TOWNSEND ST 500|THORNTON AVE 200|TWIN PEAKS BLVD 100|TERESITA BLVD 200|TOPEKA AVE 109
ULLOA ST 1300|UNION ST 1300|UNKNOWN ~ 1200|UNIVERSITY ST 500|UNDERWOOD AVE 150|UPTON ST 40|UTAH ST 146
VALENCIA ST 900|VALLEJO ST 1100|VAN NESS AVE 800|VICENTE ST 900|VERMONT ST 400|VISITACION AVE 222
WASHINGTON ST 2000|WAWONA ST 700|WALLER ST 500|WEBSTER ST 700|WEST PORTAL AVE 100|WILLIAMS AVE 100|WOOLSEY ST 62
YORBA ST 300|YOSEMITE AVE 150|YORK ST 271|ZOE ST 25
ARDATH CT 150|BELGRAVE AVE 200|CLARENDON AVE 400|CRAGMONT AVE 150|DELLBROOK AVE 150|FOREST KNOLLS DR 150|GLENVIEW DR 200|JUANITA WAY 200|KENSINGTON WAY 150|LAGUNA HONDA BLVD 150|MARIETTA DR 300|OLYMPIA WAY 150|PANORAMA DR 150|SAN ANSELMO AVE 300|SAN BENITO WAY 200|SANTA CLARA AVE 200|SANTA ANA AVE 150|SOTELO AVE 100|WESTGATE DR 150|YERBA BUENA AVE 200|HAZELWOOD AVE 300|JUDSON AVE 400|EDNA ST 300|GENNESSEE ST 400|DETROIT ST 300|MOUNTAIN SPRING AVE 100|ALADDIN TER 30|VALLEY ST 300|CAMERON WAY 100|LUNADO WAY 150|MONCADA WAY 150|UPLAND DR 150|URBANO DR 200|VIDAL DR 150|BELLA VISTA WAY 100|CORONA ST 150|DENSLOWE DR 100|CERRITOS AVE 150|LAKESHORE DR 100|CRESTLAKE DR 100|EUCALYPTUS DR 300|GELLERT DR 150|VASQUEZ AVE 100`;

function ordinal(n) {
  const t = n % 100;
  const s = t >= 11 && t <= 13 ? 'TH' : ['TH', 'ST', 'ND', 'RD', 'TH', 'TH', 'TH', 'TH', 'TH', 'TH'][n % 10];
  return n + s;
}

const STREETS = []; // {name, type, weight, maxAddr}
for (const entry of STREETS_SRC.trim().split(/[|\n]/)) {
  const parts = entry.trim().split(' ');
  const weight = Number(parts.pop());
  const type = parts.pop();
  STREETS.push({ name: parts.join(' '), type: type === '~' ? null : type, weight });
}
for (let k = 2; k <= 48; k++) STREETS.push({ name: ordinal(k), type: 'AVE', weight: 800 });
for (let k = 1; k <= 30; k++) {
  STREETS.push({ name: ordinal(k), type: 'ST', weight: k === 17 ? 1619 : k === 1 ? 300 : k === 2 ? 400 : 780 });
}
let totalWeight = 0;
const CUM = [];
for (const s of STREETS) {
  s.maxAddr = Math.min(6000, Math.max(300, s.weight * 3));
  totalWeight += s.weight;
  CUM.push(totalWeight);
}
function pickStreet() {
  const r = R.int(totalWeight);
  let lo = 0, hi = CUM.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUM[mid] > r) hi = mid; else lo = mid + 1;
  }
  return STREETS[lo];
}

// ---------- helpers ----------
const pad = (n, w) => String(n).padStart(w, '0');
const str = (v) => (v === null ? 'null' : JSON.stringify(v));

// Geography (no trig at run time): metres -> degrees near 37.77°N.
const M_LAT = 1 / 111320;
const M_LON = 1 / (111320 * 0.790555); // cos(37.77°)
const LON_MIN = -122.515, LON_SPAN = 0.16, LAT_MIN = 37.705, LAT_SPAN = 0.12;
// triangular distribution over the span: denser in the middle of the city, like the real lots
const tri = () => (R.rnd() + R.rnd()) / 2;

function pointCount() {
  const r = R.rnd();
  if (r < 0.02) return 4; // triangle (closed ring)
  if (r < 0.27) return 5; // rectangle
  if (r < 0.55) return R.range(6, 9);
  if (r < 0.75) return R.range(10, 19);
  return R.range(20, 40);
}

// Ring of n points (closed: last == first) around the lot rectangle [x0,x1]×[y0,y1] (metres
// in the block frame). Corners are computed from the shared edges, so neighbours share them.
function ring(blk, x0, x1, y0, y1, n) {
  const corners = n === 4 ? [[x0, y0], [x1, y0], [x0, y1]] : [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  const extra = n - 1 - corners.length; // points between corners
  const pts = [];
  const k = corners.length;
  const perEdge = new Array(k).fill(0);
  for (let i = 0; i < extra; i++) perEdge[R.int(k)]++;
  for (let e = 0; e < k; e++) {
    const [ax, ay] = corners[e];
    const [bx, by] = corners[(e + 1) % k];
    pts.push(blk.at(ax, ay));
    const m = perEdge[e];
    for (let j = 1; j <= m; j++) {
      const t = j / (m + 1);
      const jx = (R.rnd() - 0.5) * 0.8, jy = (R.rnd() - 0.5) * 0.8; // sub-metre wobble
      pts.push(blk.at(ax + (bx - ax) * t + jx, ay + (by - ay) * t + jy));
    }
  }
  pts.push(pts[0]);
  return pts;
}

function makeBlockFrame() {
  const lon0 = LON_MIN + LON_SPAN * tri();
  const lat0 = LAT_MIN + LAT_SPAN * tri();
  let ux = 1, uy = 0;
  const r = R.rnd();
  if (r < 0.25) { ux = 0.7071 + (R.rnd() - 0.5) * 0.02; uy = 0.7071 + (R.rnd() - 0.5) * 0.02; }
  else if (r < 0.35) { ux = R.rnd() - 0.5; uy = R.rnd() - 0.5; if (ux === 0 && uy === 0) ux = 1; }
  else { uy = (R.rnd() - 0.5) * 0.02; }
  const len = Math.sqrt(ux * ux + uy * uy);
  ux /= len; uy /= len;
  return {
    at(x, y) {
      return [lon0 + (x * ux - y * uy) * M_LON, lat0 + (x * uy + y * ux) * M_LAT];
    },
  };
}

function fmtPoint(p) {
  return cl2 ? `{"x":${p[0]},"y":${p[1]},"z":0.0}` : `[${p[0]},${p[1]},0.0]`;
}
function geometryJson(polys) {
  const rings = polys.map((r) => '[' + r.map(fmtPoint).join(',') + ']');
  const multi = polys.length > 1;
  const coords = multi ? '[' + rings.map((r) => '[' + r + ']').join(',') + ']' : '[' + rings[0] + ']';
  let g = `{"type":"${multi ? 'MultiPolygon' : 'Polygon'}","coordinates":${coords}`;
  if (cl2) g += `,"firstCoordinates":{"x":${polys[0][0][0]},"y":${polys[0][0][1]},"z":0.0}`;
  return g + '}';
}

// ---------- output with back-pressure ----------
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 1)); // e.g. piped into head
let buf = [];
let bufLen = 0;
let written = 0;
async function emit(line) {
  buf.push(line);
  bufLen += line.length;
  written++;
  if (bufLen >= 1 << 20) await flush();
}
async function flush() {
  if (buf.length === 0) return;
  const chunk = buf.join('\n') + '\n';
  buf = [];
  bufLen = 0;
  if (!process.stdout.write(chunk)) await new Promise((res) => process.stdout.once('drain', res));
}

function feature(mapblklot, blklotBlock, blklotLot, addr, geom) {
  const p =
    `{"type":"Feature","properties":{"MAPBLKLOT":${str(mapblklot)},"BLKLOT":${str(blklotBlock + blklotLot)},` +
    `"BLOCK_NUM":${str(blklotBlock)},"LOT_NUM":${str(blklotLot)},"FROM_ST":${str(addr.from)},"TO_ST":${str(addr.to)},` +
    `"STREET":${str(addr.street)},"ST_TYPE":${str(addr.type)},"ODD_EVEN":${str(addr.oddEven)}},"geometry":`;
  return p + geom + '}';
}

function condoSize() {
  const r = R.rnd();
  if (r < 0.5) return R.range(2, 4);
  if (r < 0.8) return R.range(5, 12);
  if (r < 0.94) return R.range(13, 40);
  if (r < 0.99) return R.range(41, 150);
  return R.range(151, 700);
}

function parcelsInBlock() {
  const r = R.rnd();
  if (r < 0.1) return R.range(1, 3);
  if (r < 0.7) return R.range(10, 30);
  return R.range(30, 60);
}

// ---------- main loop ----------
const LINES_PER_BLOCK = 37; // measured average of this model (spreads blocks over 0001–7600)
const plannedBlocks = Math.max(1, Math.ceil(COUNT / LINES_PER_BLOCK));
const blockStep = 7600 / plannedBlocks;

async function main() {
  let blockIdx = 0;
  let prevBlockNum = 0;
  while (written < COUNT) {
    let bn = 1 + Math.floor(blockIdx * blockStep);
    if (bn <= prevBlockNum) bn = prevBlockNum + 1;
    prevBlockNum = bn;
    blockIdx++;
    const blockNames = [pad(bn % 10000, 4)];
    if (R.chance(0.03)) blockNames.push(pad(bn % 10000, 4) + 'ABC'[R.int(3)]);
    const timeshare = { next: 0 }; // lots of the block's "T" (timeshare/condo) companion block
    for (const block of blockNames) {
      if (written >= COUNT) break;
      await genBlock(block, timeshare);
    }
  }
  await flush();
}

async function genBlock(block, tLots) {
  const frame = makeBlockFrame();
  // 2–4 streets bound the block; each side has its own hundred-block and parity
  const sides = [];
  const nSides = R.range(2, 4);
  for (let i = 0; i < nSides; i++) {
    const st = pickStreet();
    const base = 100 * R.int(Math.max(1, Math.floor(st.maxAddr / 100)));
    sides.push({ st, base, odd: R.chance(0.5) });
  }
  const nParcels = parcelsInBlock();
  const perRow = Math.max(1, Math.ceil(nParcels / 2));
  let lot = 0;
  let lotLetter = 0;
  let x = 0;
  let row = 0;
  const depth = 25 + R.rnd() * 12;
  for (let i = 0; i < nParcels && written < COUNT; i++) {
    // lot number: usually next, sometimes a gap, sometimes a lettered split of the previous lot
    let lotStr;
    if (lot > 0 && R.chance(0.06) && lotLetter < 6) {
      lotStr = pad(lot, 3) + 'ABCDEF'[lotLetter++];
    } else {
      lot += 1 + (R.chance(0.3) ? R.range(1, 3) : 0);
      lotLetter = 0;
      lotStr = pad(lot, 3);
    }
    // address
    let addr;
    const ra = R.rnd();
    if (ra < 0.003) {
      addr = { from: null, to: null, street: null, type: null, oddEven: null };
    } else {
      const side = sides[R.int(sides.length)];
      if (side.st.name === 'UNKNOWN') {
        addr = { from: '0', to: '0', street: 'UNKNOWN', type: null, oddEven: 'E' };
      } else {
        let from = side.base + 2 * R.int(50) + (side.odd ? 1 : 0);
        if (from === 0) from = 2;
        let to = from;
        if (R.chance(0.35)) to = Math.min(side.base + 98 + (side.odd ? 1 : 0), from + 2 * R.range(1, 30));
        addr = { from: String(from), to: String(to), street: side.st.name, type: side.st.type, oddEven: side.odd ? 'O' : 'E' };
      }
    }
    // geometry: lots side by side along the block front, two rows back to back
    if (i === perRow) { x = 0; row = 1; }
    const big = R.chance(0.02);
    const w = big ? 40 + R.rnd() * 200 : 7.62 * R.range(1, 4) + (R.rnd() - 0.5);
    const y0 = row === 0 ? 0 : depth;
    const y1 = row === 0 ? depth : depth + (big ? 40 + R.rnd() * 150 : depth);
    const polys = [ring(frame, x, x + w, y0, y1, pointCount())];
    if (R.chance(0.0006)) {
      const np = R.range(1, 2);
      for (let j = 0; j < np; j++) {
        const ox = x + w + 2 + j * 12;
        polys.push(ring(frame, ox, ox + 8, y0, y0 + 10, R.range(5, 9)));
      }
    }
    x += w;
    const geom = geometryJson(polys);
    const mapblklot = block + lotStr;
    if (R.chance(0.025)) {
      // condominium: units get their own lots, MAPBLKLOT stays the parent lot, geometry is shared
      const units = condoSize();
      const timeshare = R.chance(0.2) || lot + units > 999;
      if (timeshare) {
        const tBlock = block.slice(0, 4) + 'T';
        for (let u = 0; u < units && written < COUNT; u++, tLots.next++) {
          const t = tLots.next;
          await emit(feature(mapblklot, tBlock, pad(1 + (t >> 1), 3) + (t & 1 ? 'B' : 'A'), addr, geom));
        }
      } else {
        for (let u = 0; u < units && written < COUNT; u++) {
          lot++;
          await emit(feature(mapblklot, block, pad(lot, 3), addr, geom));
        }
      }
    } else {
      await emit(feature(mapblklot, block, lotStr, addr, geom));
    }
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
