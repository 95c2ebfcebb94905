/**
 * A Dockerfile reader for the deployment checks: joins continuation lines, drops comments, and splits
 * the file into global ARGs and build stages of instructions with their flags, as BuildKit's
 * parser does for the syntax this repository uses (no heredocs, default escape character).
 */
export interface Instruction {
  keyword: string;
  /** `--name=value` flags before the arguments (`--mount` may repeat). */
  flags: { name: string; value: string }[];
  /** The arguments after the flags: a JSON array's items, or the rest of the line. */
  args: string[];
  /** The arguments as written, after the flags. */
  raw: string;
  line: number;
}

export interface Stage {
  /** FROM's image or stage reference, as written (variables unexpanded). */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions = logicalLines(text).map(parseInstruction);
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args;
      if (from === undefined) throw new Error(`line ${instruction.line}: FROM without an image`);
      if (as !== undefined && as.toUpperCase() !== 'AS') throw new Error(`line ${instruction.line}: bad FROM`);
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
      for (const [name, value] of parseArgs(instruction)) globalArgs.set(name, value);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `ARG NAME` or `ARG NAME=default` (several per line allowed). */
export function parseArgs(instruction: Instruction): [string, string | undefined][] {
  return instruction.args.map((arg) => {
    const at = arg.indexOf('=');
    return at === -1 ? [arg, undefined] : [arg.slice(0, at), unquote(arg.slice(at + 1))];
  });
}

/** `ENV A=1 B=2` as pairs (the legacy `ENV A 1` form too). */
export function parseEnv(instruction: Instruction): [string, string][] {
  if (!instruction.args[0]?.includes('=')) return [[instruction.args[0] ?? '', instruction.args.slice(1).join(' ')]];
  return instruction.args.map((arg) => {
    const at = arg.indexOf('=');
    return [arg.slice(0, at), unquote(arg.slice(at + 1))];
  });
}

/** Expands `$NAME` and `${NAME}` from the given values; unknown names become empty, as in Docker. */
export function expand(value: string, values: Map<string, string | undefined>): string {
  return value.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, a?: string, b?: string) => values.get((a ?? b)!) ?? '',
  );
}

function logicalLines(text: string): { text: string; line: number }[] {
  const result: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    const trimmed = line.trim();
    // Comment lines are dropped, also in the middle of a continued instruction.
    if (trimmed.startsWith('#')) return;
    if (current === undefined && trimmed === '') return;
    const continues = /\\\s*$/.test(line);
    const body = continues ? line.replace(/\\\s*$/, '') : line;
    if (current === undefined) current = { text: body.trim(), line: index + 1 };
    else current.text += ` ${body.trim()}`;
    if (!continues) {
      result.push(current);
      current = undefined;
    }
  });
  if (current !== undefined) result.push(current);
  return result;
}

function parseInstruction({ text, line }: { text: string; line: number }): Instruction {
  const match = /^(\S+)\s*(.*)$/.exec(text);
  if (!match) throw new Error(`line ${line}: cannot read "${text}"`);
  const keyword = match[1]!.toUpperCase();
  let rest = match[2]!;
  const flags: Instruction['flags'] = [];
  // HEALTHCHECK's and the copy/run instructions' flags come first.
  for (let flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); flag; flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
    flags.push({ name: flag[1]!, value: flag[2] ?? 'true' });
    rest = rest.slice(flag[0].length);
  }
  const raw = rest.trim();
  let args: string[];
  if (raw.startsWith('[')) {
    try {
      args = JSON.parse(raw) as string[];
    } catch {
      args = splitWords(raw);
    }
  } else {
    args = splitWords(raw);
  }
  return { keyword, flags, args, raw, line };
}

function splitWords(text: string): string[] {
  // A word is unquoted characters and quoted parts, side by side: A="x y" is one word.
  return [...text.matchAll(/(?:[^\s"']|"(?:[^"\\]|\\.)*"|'[^']*')+/g)].map((m) => m[0]);
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
