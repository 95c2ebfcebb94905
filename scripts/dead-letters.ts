// `npm run dead-letters -- list | show <id> | replay <id> | replay --all`: the parked dead letters of a
// running shop, and their replay once the fault that sent them there is fixed. It calls the order
// service through its own sidecar (Dapr service invocation, with the sidecar's Dapr API token), never
// through the shop's public port. See the README, "When an event dead-letters".
import { deadLetterIdSchema, type ParkedDeadLetterSummary, type ReplayReport } from '@sweetgiggles/contracts';
import { readOperatorAccess, type OperatorAccess } from './lib/operator-access.ts';

const usage = 'usage: npm run dead-letters -- list [--limit N] | show <id> | replay <id> | replay --all';

/** One call to an operator route of the order service, through its sidecar. */
async function callOrder(access: OperatorAccess, method: 'GET' | 'POST', path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${access.orderSidecarUrl}/v1.0/invoke/order/method${path}`, {
    method,
    headers: { 'dapr-api-token': access.daprApiToken },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: shown as it came.
  }
  return { status: response.status, body };
}

function describe(letter: ParkedDeadLetterSummary): string {
  return `${letter.parkedAt}  ${letter.id}  ${letter.type} on ${letter.topic} (order ${letter.orderId}): ${letter.reason}`;
}

/** Runs one command; resolves with the process exit code (0 done, 1 refused or failed, 2 usage). */
export async function runDeadLetters(args: string[], access: OperatorAccess, print = console.log): Promise<number> {
  const [command, argument, value] = args;
  const fail = (status: number, body: unknown) => {
    const message = (body as { error?: { message?: string } })?.error?.message ?? JSON.stringify(body);
    print(`the order service answered ${status}: ${message}`);
    return 1;
  };
  if (command === 'list' && (argument === undefined || (argument === '--limit' && value !== undefined))) {
    const query = argument ? `?limit=${encodeURIComponent(value!)}` : '';
    const { status, body } = await callOrder(access, 'GET', `/operator/dead-letters${query}`);
    if (status !== 200) return fail(status, body);
    const letters = (body as { deadLetters: ParkedDeadLetterSummary[] }).deadLetters;
    print(letters.length === 0 ? 'no dead letters parked' : `${letters.length} dead letter(s) parked, oldest first:`);
    for (const letter of letters) print(`  ${describe(letter)}`);
    return 0;
  }
  if (command === 'replay' && argument === '--all' && value === undefined) {
    const { status, body } = await callOrder(access, 'POST', '/operator/dead-letters/replay');
    if (status !== 200) return fail(status, body);
    const report = body as ReplayReport;
    print(`replayed ${report.replayed.length}${report.failed.length ? `, failed ${report.failed.length}` : ''}`);
    for (const id of report.replayed) print(`  replayed ${id}`);
    for (const { id, message } of report.failed) print(`  not replayed ${id}: ${message}`);
    return report.failed.length > 0 ? 1 : 0;
  }
  if ((command === 'replay' || command === 'show') && argument !== undefined && value === undefined) {
    // Checked here too, so a crafted id never becomes part of a URL.
    const id = deadLetterIdSchema.safeParse(argument);
    if (!id.success) {
      print(`not a dead letter id: ${JSON.stringify(argument)}`);
      return 2;
    }
    const path = `/operator/dead-letters/${encodeURIComponent(id.data)}${command === 'replay' ? '/replay' : ''}`;
    const { status, body } = await callOrder(access, command === 'replay' ? 'POST' : 'GET', path);
    if (status !== 200) return fail(status, body);
    print(command === 'replay' ? `replayed ${id.data}` : JSON.stringify(body, null, 2));
    return 0;
  }
  print(usage);
  return 2;
}

if (import.meta.main) {
  const access = readOperatorAccess();
  if (!access) {
    console.error('No running shop found: start one with `npm start`, or set ORDER_DAPR_URL and DAPR_API_TOKEN (the order sidecar).');
    process.exit(1);
  }
  process.exit(await runDeadLetters(process.argv.slice(2), access));
}
