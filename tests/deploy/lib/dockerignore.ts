/**
 * .dockerignore matching as Docker's builder does it (moby/patternmatcher, `MatchesOrParentMatches`):
 * patterns are tried in order, a pattern applies to a path when it matches the path or one of its
 * parent directories, and the last pattern that applies decides (`!` lets a path back in).
 */
export interface IgnorePattern {
  exclusion: boolean;
  pattern: string;
  regex: RegExp;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exclusion = line.startsWith('!');
      const pattern = cleanPath((exclusion ? line.slice(1) : line).trim());
      return { exclusion, pattern, regex: toRegex(pattern) };
    });
}

/** True when the build context leaves `path` (a file path relative to the context) out. */
export function isIgnored(patterns: IgnorePattern[], path: string): boolean {
  const parents = path.split('/').slice(0, -1);
  let matched = false;
  for (const { exclusion, regex } of patterns) {
    // An inclusion cannot change an unmatched path, nor an exclusion a matched one.
    if (exclusion !== matched) continue;
    let match = regex.test(path);
    for (let i = 1; !match && i <= parents.length; i++) match = regex.test(parents.slice(0, i).join('/'));
    if (match) matched = !exclusion;
  }
  return matched;
}

function cleanPath(pattern: string): string {
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function toRegex(pattern: string): RegExp {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          source += '(.*/)?';
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i);
      if (end === -1) throw new Error(`unterminated character class in ${pattern}`);
      source += pattern.slice(i, end + 1).replace('[!', '[^');
      i = end;
    } else if (ch === '\\') {
      source += `\\${pattern[++i] ?? '\\'}`;
    } else {
      source += ch.replace(/[.+^${}()|]/g, '\\$&');
    }
  }
  return new RegExp(`${source}$`);
}
