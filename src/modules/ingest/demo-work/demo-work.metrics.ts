import type { DemoPersonRecord } from '../../demo/demo.generator.js';
import { SeededRandom } from '../../demo/demo.random.js';
import type { NormalisedMetric } from '../ingest.model.js';
import type { DemoWork } from './demo-work.generator.js';
import { ENGINEERING_TEAMS } from './demo-work.people.js';

/**
 * Monthly business metrics for the demo, in the metrics connector's normalised shape: revenue per
 * sales team and per account executive, customer satisfaction and churn for Customer Success,
 * incidents and error rates per engineering team (fewer incidents where more changes are reviewed),
 * and initiatives launched, which follow the engineering throughput of the month.
 */

function months(from: string, to: string): { start: string; end: string; key: string }[] {
  const out: { start: string; end: string; key: string }[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (last >= to) break;
    out.push({ key, start: `${key}-01`, end: last });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function generateDemoMetrics(
  seed: number,
  work: DemoWork,
  people: DemoPersonRecord[],
  referenceDate: string,
  teamIds: Map<string, string>,
): NormalisedMetric[] {
  const rng = new SeededRandom(seed ^ 0x3e7c);
  const out: NormalisedMetric[] = [];
  const team = (name: string) => teamIds.get(name);
  const merged = new Map<string, number>();
  for (const p of work.pullRequests) {
    if (!p.pr.merged_at || p.isBot) continue;
    const k = `${p.repo}|${p.pr.merged_at.slice(0, 7)}`;
    merged.set(k, (merged.get(k) ?? 0) + 1);
  }
  const reps = (teamName: string) =>
    people.filter((r) => r.team === teamName && /Account Executive|Sales Development/.test(r.title));
  for (const [i, month] of months(work.windowStart, referenceDate).entries()) {
    const season = month.key.endsWith('-12') || month.key.endsWith('-08') ? 0.85 : 1;
    const growth = 1 + i * 0.015;
    for (const [name, base] of [
      ['Sales EMEA', 410_000],
      ['Sales Americas', 520_000],
    ] as const) {
      const id = team(name);
      let total = 0;
      for (const r of reps(name)) {
        if (r.hireDate > month.end || (r.leaveDate && r.leaveDate < month.start)) continue;
        const v = Math.round((base / 8) * growth * season * (0.6 + rng.next() * 0.8));
        total += v;
        out.push({
          metric: 'revenue',
          value: v,
          unit: 'EUR',
          subject: { personEmail: r.email },
          periodStart: month.start,
          periodEnd: month.end,
        });
      }
      if (id)
        out.push({
          metric: 'revenue',
          value: total,
          unit: 'EUR',
          subject: { teamId: id },
          periodStart: month.start,
          periodEnd: month.end,
        });
    }
    const success = team('Customer Success');
    if (success) {
      out.push({
        metric: 'customer_satisfaction',
        value: Math.round((82 + i * 0.25 + (rng.next() - 0.5) * 6) * 10) / 10,
        unit: 'percent',
        subject: { teamId: success },
        periodStart: month.start,
        periodEnd: month.end,
      });
      out.push({
        metric: 'accounts_churned',
        value: rng.int(0, 4),
        unit: 'count',
        subject: { teamId: success },
        periodStart: month.start,
        periodEnd: month.end,
      });
    }
    let launches = 0;
    for (const t of ENGINEERING_TEAMS) {
      const id = team(t.name);
      if (!id) continue;
      const shipped = merged.get(`${t.repo}|${month.key}`) ?? 0;
      const incidents = Math.max(0, Math.round(shipped / 25 + (rng.next() - 0.4) * 3));
      out.push({
        metric: 'incidents',
        value: incidents,
        unit: 'count',
        subject: { teamId: id },
        periodStart: month.start,
        periodEnd: month.end,
      });
      out.push({
        metric: 'error_rate',
        value: Math.round((0.4 + incidents * 0.08 + rng.next() * 0.2) * 100) / 100,
        unit: 'percent',
        subject: { teamId: id },
        periodStart: month.start,
        periodEnd: month.end,
      });
      const launched = Math.floor(shipped / 30 + rng.next());
      launches += launched;
      out.push({
        metric: 'initiatives_launched',
        value: launched,
        unit: 'count',
        subject: { teamId: id },
        periodStart: month.start,
        periodEnd: month.end,
      });
    }
    const pm = team('Product Management');
    if (pm)
      out.push({
        metric: 'initiatives_launched',
        value: launches,
        unit: 'count',
        subject: { teamId: pm },
        periodStart: month.start,
        periodEnd: month.end,
      });
  }
  return out;
}
