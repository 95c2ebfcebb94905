import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOperatorAccess, removeOperatorAccess, writeOperatorAccess } from './operator-access.ts';

describe("the operator's access to a running shop", () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'operator-access-')), 'operator-access.json');
  const access = { orderSidecarUrl: 'http://127.0.0.1:3501', daprApiToken: 'a'.repeat(64) };

  it('is the file npm start wrote, readable by its owner only, until it is removed', () => {
    const path = file();
    writeOperatorAccess(access, path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readOperatorAccess({}, path)).toEqual(access);
    removeOperatorAccess(path);
    expect(readOperatorAccess({}, path)).toBeUndefined();
  });

  it('comes from the environment first, with the order sidecar of npm start and dapr run as the default address', () => {
    const path = file();
    writeOperatorAccess(access, path);
    expect(readOperatorAccess({ DAPR_API_TOKEN: 't' }, path)).toEqual({ orderSidecarUrl: 'http://127.0.0.1:3501', daprApiToken: 't' });
    expect(readOperatorAccess({ DAPR_API_TOKEN: 't', ORDER_DAPR_URL: 'http://127.0.0.1:13501' }, path)).toEqual({
      orderSidecarUrl: 'http://127.0.0.1:13501',
      daprApiToken: 't',
    });
  });

  it('is nothing when the file is missing or malformed', () => {
    const path = file();
    expect(readOperatorAccess({}, path)).toBeUndefined();
    writeFileSync(path, '{"orderSidecarUrl": 3}');
    expect(readOperatorAccess({}, path)).toBeUndefined();
    writeFileSync(path, 'not json');
    expect(readOperatorAccess({}, path)).toBeUndefined();
  });
});
