import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../../scripts/lib/system.ts';

export const dashboardsDir = join(repoRoot, 'observability', 'grafana', 'dashboards');

/** The parts of a Grafana dashboard the tests read. */
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating?: { list: Variable[] };
}

export interface DataSourceRef {
  type?: string;
  uid?: string;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: DataSourceRef;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { refId: string; datasource?: DataSourceRef; expr?: string }[];
  panels?: Panel[];
}

export interface Variable {
  name: string;
  type: string;
  datasource?: DataSourceRef;
  query?: { query: string } | string;
  allValue?: string;
}

/** Every dashboard file, by file name. */
export function readDashboards(): Record<string, Dashboard> {
  const files = readdirSync(dashboardsDir).filter((name) => name.endsWith('.json'));
  return Object.fromEntries(files.map((name) => [name, JSON.parse(readFileSync(join(dashboardsDir, name), 'utf8')) as Dashboard]));
}

/** Every panel, rows' nested panels included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** A PromQL query of a dashboard and where it is. */
export interface Query {
  where: string;
  panel?: Panel;
  expr: string;
}

/**
 * Every PromQL expression in a dashboard: panel targets, and query variables (whose
 * `label_values(<series selector>, <label>)` reads the selector's metric).
 */
export function promQueries(dashboard: Dashboard): Query[] {
  const queries: Query[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (target.expr !== undefined)
        queries.push({ where: `${dashboard.title} / ${panel.title} / ${target.refId}`, panel, expr: target.expr });
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const text = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
    const labelValues = /^label_values\((.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$/.exec(text.trim());
    queries.push({ where: `${dashboard.title} / variable ${variable.name}`, expr: labelValues?.[1] ?? text });
  }
  return queries;
}

const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers outside strings, label matchers, ranges and
 * grouping clauses that are not function calls, keywords, numbers or Grafana variables.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = stripped[match.index - 1] ?? ' ';
    const after = stripped.slice(match.index + match[0].length);
    if (/[0-9.$]/.test(before) || /^\s*\(/.test(after) || keywords.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

/**
 * The expression as Grafana would send it to Prometheus: its interval macros replaced by durations
 * and its variables by their "All" value.
 */
export function expandGrafanaVariables(expr: string, dashboard: Dashboard): string {
  let expanded = expr.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '15s').replaceAll('$__range', '10m');
  for (const variable of dashboard.templating?.list ?? []) {
    expanded = expanded.replaceAll(`$${variable.name}`, variable.allValue ?? '.*');
  }
  return expanded;
}

/** The data sources Grafana is provisioned with (observability/grafana/datasources.yml). */
export function provisionedDataSources(): { name: string; uid: string; type: string }[] {
  const file = parse(readFileSync(join(repoRoot, 'observability', 'grafana', 'datasources.yml'), 'utf8')) as {
    datasources: { name: string; uid: string; type: string }[];
  };
  return file.datasources;
}

/**
 * The cAdvisor container metrics the containers dashboard may read: cAdvisor is not run here, so
 * these names come from its documentation (docs/storage/prometheus.md in google/cadvisor, "Prometheus
 * container metrics"), all enabled by default.
 */
export const cadvisorContainerMetrics = [
  'container_cpu_usage_seconds_total',
  'container_cpu_cfs_throttled_seconds_total',
  'container_memory_working_set_bytes',
  'container_memory_rss',
  'container_spec_memory_limit_bytes',
];
