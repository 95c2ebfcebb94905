import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../../../scripts/lib/system.ts';

export { repoRoot };

/** A path inside the repository, from its root. */
export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);

export const readText = (path: string): string => readFileSync(repoPath(path), 'utf8');

/** A plain JSON-like value, as YAML and JSON documents parse to. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Every document of a YAML file or text; throws on the first syntax error. */
export function parseYamlDocuments(text: string, source: string): JsonObject[] {
  return parseAllDocuments(text, { merge: true }).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors.map((e) => e.message).join('; ')}`);
    const value = document.toJS() as Json;
    return value === null ? [] : [value as JsonObject];
  });
}

export const readYamlDocuments = (path: string): JsonObject[] => parseYamlDocuments(readText(path), path);

/** The YAML files of a directory of the repository, sorted, as repository paths. */
export function yamlFilesIn(dir: string): string[] {
  return readdirSync(repoPath(dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);
}

/** The files a build would see: tracked and untracked ones, without what .gitignore leaves out. */
export function workTreeFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot });
  return out
    .toString('utf8')
    .split('\0')
    .filter((path) => path !== '')
    .map((path) => relative(repoRoot, join(repoRoot, path)));
}

export const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value as an object, failing with the given path when it is not one. */
export function asObject(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw new Error(`${what} is not a mapping`);
  return value;
}
