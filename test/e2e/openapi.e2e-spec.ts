import SwaggerParser from '@apidevtools/swagger-parser';
import { ApiClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/test-stack';

jest.setTimeout(60_000);

/** Every path of the contract (API.md), as OpenAPI spells it under the /api/v1 base. */
const CONTRACT: [string, string][] = [
  ['post', '/auth/token'],
  ['get', '/auth/me'],
  ['get', '/standards'],
  ['get', '/standards/versions/{version}'],
  ['post', '/proposals'],
  ['get', '/proposals'],
  ['get', '/proposals/{id}'],
  ['patch', '/proposals/{id}'],
  ['post', '/proposals/{id}/submit'],
  ['post', '/proposals/{id}/respond'],
  ['post', '/proposals/{id}/withdraw'],
  ['get', '/proposals/{id}/history'],
  ['get', '/tasks'],
  ['get', '/tasks/{id}'],
  ['post', '/tasks/{id}/claim'],
  ['post', '/tasks/{id}/assign'],
  ['post', '/tasks/{id}/decision'],
  ['get', '/outcomes'],
  ['get', '/outcomes/export.csv'],
  ['get', '/outcomes/verdicts.csv'],
  ['get', '/reports/portfolio'],
  ['get', '/audit/verify'],
  ['get', '/audit/verifications'],
  ['get', '/audit/verifications/{id}'],
  ['get', '/audit/checkpoints'],
  ['get', '/audit/public-key'],
  ['get', '/audit/records'],
  ['get', '/audit/export'],
  ['get', '/admin/users'],
  ['post', '/admin/users'],
  ['patch', '/admin/users/{id}'],
  ['get', '/admin/agencies'],
  ['post', '/admin/agencies'],
  ['post', '/admin/users/{id}/identity'],
  ['delete', '/admin/users/{id}/identity'],
  ['post', '/standards/versions'],
  ['get', '/policy'],
  ['post', '/policy/versions'],
  ['get', '/health'],
];

describe('the OpenAPI document', () => {
  let stack: TestStack;
  let document: Record<string, any>;

  beforeAll(async () => {
    stack = await startTestStack({ withoutWorker: true });
    const res = await new ApiClient(stack.baseUrl).get('/docs-json');
    expect(res.status).toBe(200);
    document = res.body;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it.each(CONTRACT)('describes %s %s', (method, path) => {
    const operation = document.paths[`/api/v1${path}`]?.[method];
    expect(operation).toBeDefined();
    expect(Object.keys(operation.responses ?? {}).length).toBeGreaterThan(0);
  });

  it('is served at the root and under the API base', async () => {
    const root = await fetch(new URL('/docs-json', stack.baseUrl));
    expect(root.status).toBe(200);
  });
});
