/** `/v1/buses/{bus}/rules…`: rules and their targets. Validation lives in src/rules (fails closed). */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { ApiContext } from './context.js';
import { page, type PageQuery } from './paging.js';
import { BUS_PARAM, NO_QUERY, PAGE_QUERY, params, RULE_PARAM, RuleCreateSchema, RulePatchSchema, RuleReplaceSchema, TARGET_PARAM, TargetSpecSchema } from './schemas/index.js';

type RuleParams = { bus: string; rule: string };

const busParams = params(BUS_PARAM);
const ruleParams = params({ ...BUS_PARAM, ...RULE_PARAM });
const targetParams = params({ ...BUS_PARAM, ...RULE_PARAM, ...TARGET_PARAM });

export function ruleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { bus: string }; Querystring: PageQuery }>('/v1/buses/:bus/rules', { schema: { summary: "List a bus's rules (paged by name)", params: busParams, querystring: PAGE_QUERY } }, async (request) => {
    const { items, next } = page(await ctx.rules.list(request.params.bus), request.query);
    return { rules: items, ...(next ? { next } : {}) };
  });

  const createRule = { schema: { summary: 'Create a rule (409 if the name is taken)', params: busParams, querystring: NO_QUERY, body: RuleCreateSchema } };
  app.post<{ Params: { bus: string }; Body: unknown }>('/v1/buses/:bus/rules', createRule, async (request, reply) => {
    const name = (request.body as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && (await ctx.rules.get(request.params.bus, name))) {
      throw new HeraldError('HERALD_RULE_EXISTS', `bus "${request.params.bus}" already has a rule "${name}"; PUT …/rules/${name} replaces it`, 'name');
    }
    const { rule } = await ctx.rules.put(request.params.bus, request.body);
    return reply.status(201).send(rule);
  });

  const putRule = { schema: { summary: 'Create or replace a rule', params: ruleParams, querystring: NO_QUERY, body: RuleReplaceSchema } };
  app.put<{ Params: RuleParams; Body: unknown }>('/v1/buses/:bus/rules/:rule', putRule, async (request, reply) => {
    const body = request.body as Record<string, unknown> | null;
    if (body && typeof body === 'object' && body.name !== undefined && body.name !== request.params.rule) {
      throw new HeraldError('HERALD_INVALID_REQUEST', `name: "${String(body.name)}" differs from the rule in the path ("${request.params.rule}")`, 'name');
    }
    const spec = body && typeof body === 'object' && !Array.isArray(body) ? { ...body, name: request.params.rule } : body;
    const { rule, created } = await ctx.rules.put(request.params.bus, spec);
    return reply.status(created ? 201 : 200).send(rule);
  });

  app.get<{ Params: RuleParams }>('/v1/buses/:bus/rules/:rule', { schema: { summary: 'Describe a rule', params: ruleParams, querystring: NO_QUERY } }, async (request) => {
    const rule = await ctx.rules.get(request.params.bus, request.params.rule);
    if (!rule) throw new HeraldError('HERALD_RULE_NOT_FOUND', `bus "${request.params.bus}" has no rule "${request.params.rule}"`, 'rule');
    return rule;
  });

  app.patch<{ Params: RuleParams; Body: { state?: 'enabled' | 'disabled'; description?: string } }>(
    '/v1/buses/:bus/rules/:rule',
    { schema: { summary: 'Enable, disable or describe a rule', params: ruleParams, querystring: NO_QUERY, body: RulePatchSchema } },
    async (request) => ctx.rules.update(request.params.bus, request.params.rule, request.body),
  );

  app.delete<{ Params: RuleParams }>('/v1/buses/:bus/rules/:rule', { schema: { summary: 'Delete a rule', params: ruleParams, querystring: NO_QUERY } }, async (request, reply) => {
    await ctx.rules.delete(request.params.bus, request.params.rule);
    return reply.status(204).send();
  });

  const putTarget = { schema: { summary: 'Add or replace one target of a rule', params: targetParams, querystring: NO_QUERY, body: TargetSpecSchema } };
  app.put<{ Params: RuleParams & { target: string }; Body: unknown }>('/v1/buses/:bus/rules/:rule/targets/:target', putTarget, async (request) => {
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HeraldError('HERALD_INVALID_REQUEST', 'body: expected a target object', 'body');
    if (body.id !== undefined && body.id !== request.params.target) {
      throw new HeraldError('HERALD_INVALID_REQUEST', `id: "${String(body.id)}" differs from the target in the path`, 'id');
    }
    return ctx.rules.putTarget(request.params.bus, request.params.rule, { ...body, id: request.params.target });
  });

  app.delete<{ Params: RuleParams & { target: string } }>('/v1/buses/:bus/rules/:rule/targets/:target', { schema: { summary: 'Remove one target from a rule', params: targetParams, querystring: NO_QUERY } }, async (request, reply) => {
    await ctx.rules.deleteTarget(request.params.bus, request.params.rule, request.params.target);
    return reply.status(204).send();
  });
}
