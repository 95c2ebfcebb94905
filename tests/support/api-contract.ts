import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import { parse } from 'yaml';
import { repoRoot } from '../../scripts/lib/system.ts';

/** Where the shop API is described; every answer the tests receive from it is held against this. */
export const openApiPath = join(repoRoot, 'docs', 'openapi.yaml');

// `quick` skips openapi-backend's own check of the document, which knows OpenAPI 3.0 only; the
// document is checked as the 3.1 it is in tests/deploy/openapi.test.ts.
const api = new OpenAPIBackend({
  definition: parse(readFileSync(openApiPath, 'utf8')) as Document,
  quick: true,
  customizeAjv: (ajv) => {
    addFormats.default(ajv);
    return ajv;
  },
});
await api.init();

export interface ShopAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
}

/**
 * Throws, naming each difference, unless the answer is one docs/openapi.yaml allows for this request:
 * a status the operation lists, a content type it declares, headers and a body that fit its schemas.
 * A path outside the four operations must get the document's 400 or 404 with the error body.
 */
export function checkAnswer(method: string, path: string, answer: ShopAnswer): void {
  const where = `${method} ${path} → ${answer.status}`;
  const operation = api.router.matchOperation({ method: method.toLowerCase(), path: path.split('?')[0]!, headers: {} });
  const documentPart = operation ? `docs/openapi.yaml, ${operation.operationId}` : 'docs/openapi.yaml';
  const fail = (what: string) => {
    throw new Error(`${where}: ${what} (${documentPart})`);
  };
  if (!operation) {
    if (answer.status !== 404 && answer.status !== 400) fail('a path outside the API must be a 404 or a 400');
    return checkErrorBody(answer, fail);
  }
  const responses = (operation as Operation & { responses?: Record<string, { content?: Record<string, unknown> }> }).responses ?? {};
  const documented = responses[String(answer.status)];
  if (!documented) return fail(`the status is not one the operation lists (${Object.keys(responses).join(', ')})`);
  const mediaTypes = Object.keys(documented.content ?? {});
  const contentType = answer.headers.get('content-type')?.split(';')[0]?.trim();
  if (mediaTypes.length > 0 && !mediaTypes.includes(contentType ?? ''))
    fail(`content type ${contentType} is not ${mediaTypes.join(' or ')}`);
  const body = api.validator.validateResponse(answer.body, operation, answer.status);
  if (body.errors?.length) fail(`the body does not fit: ${describe(body.errors)}`);
  const headers = api.validator.validateResponseHeaders(Object.fromEntries(answer.headers), operation, {
    statusCode: answer.status,
    setMatchType: 'superset' as never,
  });
  if (headers.errors?.length) fail(`the headers do not fit: ${describe(headers.errors)}`);
}

function checkErrorBody(answer: ShopAnswer, fail: (what: string) => void): void {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') fail('the body is not { error: { code, message } }');
}

const describe = (errors: { instancePath?: string; message?: string }[]) =>
  errors.map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''}`.trim()).join('; ');

/** fetch, with the answer read, parsed and checked against the document (see `checkAnswer`). */
export async function fetchChecked(url: string, init: RequestInit = {}): Promise<ShopAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if (response.headers.get('content-type')?.includes('json')) body = JSON.parse(text);
  const answer = { status: response.status, headers: response.headers, body };
  const { pathname, search } = new URL(url);
  checkAnswer(init.method ?? 'GET', pathname + search, answer);
  return answer;
}
