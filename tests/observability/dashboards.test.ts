import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../scripts/lib/system.ts';
import {
  allPanels,
  cadvisorContainerMetrics,
  metricNames,
  promQueries,
  provisionedDataSources,
  readDashboards,
  type DataSourceRef,
  type Dashboard,
} from './support/dashboards.ts';

const dashboards = readDashboards();

function dataSourceRefs(dashboard: Dashboard): { where: string; ref: DataSourceRef | undefined }[] {
  const refs: { where: string; ref: DataSourceRef | undefined }[] = [];
  for (const panel of allPanels(dashboard)) {
    if (panel.type === 'row') continue;
    refs.push({ where: `panel ${panel.title}`, ref: panel.datasource });
    for (const target of panel.targets ?? []) refs.push({ where: `panel ${panel.title} query ${target.refId}`, ref: target.datasource });
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === 'query') refs.push({ where: `variable ${variable.name}`, ref: variable.datasource });
  }
  return refs;
}

describe('the Grafana dashboards', () => {
  it('are the shop, services and containers dashboards, each with its own uid and title', () => {
    expect(Object.keys(dashboards).sort()).toEqual(['containers.json', 'services.json', 'shop.json']);
    const all = Object.values(dashboards);
    expect(new Set(all.map((d) => d.uid)).size).toBe(all.length);
    expect(new Set(all.map((d) => d.title)).size).toBe(all.length);
    for (const dashboard of all) {
      expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(typeof dashboard.schemaVersion).toBe('number');
    }
  });

  it.each(Object.entries(dashboards))('%s lays out titled, described panels with unique ids, without overlaps', (_, dashboard) => {
    const panels = allPanels(dashboard);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = new Map<string, string>();
    for (const panel of panels) {
      expect(panel.title, `panel ${panel.id}`).toBeTruthy();
      if (panel.type !== 'row') expect(panel.description, panel.title).toBeTruthy();
      const { x, y, w, h } = panel.gridPos;
      expect(x >= 0 && w > 0 && h > 0 && x + w <= 24, `${panel.title} fits the 24-column grid`).toBe(true);
      for (let row = y; row < y + h; row++) {
        for (let column = x; column < x + w; column++) {
          const other = cells.get(`${row}:${column}`);
          expect(other, `${panel.title} overlaps ${other}`).toBeUndefined();
          cells.set(`${row}:${column}`, panel.title);
        }
      }
    }
  });

  it.each(Object.entries(dashboards))('%s reads only the data sources Grafana is provisioned with, by uid', (_, dashboard) => {
    const provisioned = provisionedDataSources();
    for (const { where, ref } of dataSourceRefs(dashboard)) {
      const match = provisioned.find((source) => source.uid === ref?.uid);
      expect(match, `${where}: data source ${JSON.stringify(ref)} is not in datasources.yml`).toBeDefined();
      expect(ref?.type, where).toBe(match?.type);
    }
  });

  it('show saga latency percentiles from the histogram, declines, refunds, deliveries, worker searches and dead letters', () => {
    const shop = promQueries(dashboards['shop.json']!).map((q) => q.expr);
    expect(shop.some((expr) => /histogram_quantile\(0\.95, .*sweetgiggles_saga_duration_seconds_bucket/.test(expr))).toBe(true);
    expect(shop.some((expr) => expr.includes('sweetgiggles_payments_total'))).toBe(true);
    expect(shop.some((expr) => expr.includes('sweetgiggles_refunds_total'))).toBe(true);
    expect(shop.some((expr) => expr.includes('sweetgiggles_dead_letters_total'))).toBe(true);
    for (const name of [
      'sweetgiggles_deliveries_started_total',
      'sweetgiggles_deliveries_ended_total',
      'sweetgiggles_worker_searches_total',
    ])
      expect(
        shop.some((expr) => expr.includes(name)),
        name,
      ).toBe(true);
    const services = dataSourceRefs(dashboards['services.json']!).map(({ ref }) => ref?.uid);
    expect(services, 'the services dashboard links to traces').toContain('jaeger');
  });

  it('read the services and sidecars on two dashboards, and cAdvisor on the third', () => {
    for (const [file, dashboard] of Object.entries(dashboards)) {
      for (const query of promQueries(dashboard)) {
        for (const name of metricNames(query.expr)) {
          if (file === 'containers.json') expect(cadvisorContainerMetrics, query.where).toContain(name);
          else expect(name, query.where).toMatch(/^(sweetgiggles_|dapr_|process_|nodejs_)/);
        }
      }
    }
  });
});

describe('metric names in PromQL', () => {
  it('are the series read, not functions, labels, ranges, keywords or Grafana variables', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (service, le) (rate(a_bucket{service=~"$service",x="b c"}[$__rate_interval])))'),
    ).toEqual(['a_bucket']);
    expect(metricNames('sum(rate(a_total[5m] offset 1h)) / on (job) group_left (x) b * 60 > bool 1e3 or vector(0)')).toEqual([
      'a_total',
      'b',
    ]);
    expect(metricNames('up{job="dapr-sidecars"} unless ignoring (instance) c:recorded')).toEqual(['up', 'c:recorded']);
  });
});

describe('Grafana dashboard provisioning', () => {
  const provisioning = parse(readFileSync(join(repoRoot, 'observability', 'grafana', 'dashboards.yml'), 'utf8')) as {
    apiVersion: number;
    providers: { name: string; type: string; options: { path: string } }[];
  };

  it('loads the dashboards from one folder of files', () => {
    expect(provisioning.apiVersion).toBe(1);
    expect(provisioning.providers).toHaveLength(1);
    expect(provisioning.providers[0]).toMatchObject({ type: 'file', options: { path: expect.stringMatching(/^\//) } });
  });

  it('is mounted into the compose Grafana with the dashboards where it looks for them', () => {
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { volumes?: string[] }>;
    };
    const volumes = (compose.services.grafana?.volumes ?? []).map((volume) => volume.split(':'));
    const mounted = (source: string) => volumes.find(([from]) => from?.replace(/\/$/, '') === source)?.[1];
    expect(
      mounted('./observability/grafana/dashboards'),
      'compose mounts ./observability/grafana/dashboards where dashboards.yml looks',
    ).toBe(provisioning.providers[0]?.options.path);
    expect(mounted('./observability/grafana/dashboards.yml')).toMatch(/^\/etc\/grafana\/provisioning\/dashboards\/[^/]+\.ya?ml$/);
  });
});
