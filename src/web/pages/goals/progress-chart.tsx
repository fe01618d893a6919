import { LineChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { GoalDetail } from '../../api/goals.js';

echarts.use([LineChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

/** Progress (0–100 %) at each check-in. Loaded lazily (ECharts is large); drawn with ECharts' own API. */
export default function ProgressChart({ detail }: { detail: GoalDetail }) {
  const ref = useRef<HTMLDivElement>(null);
  const points = [
    [`${detail.goal.periodStart}T00:00:00Z`, 0, null] as const,
    ...detail.checkIns.map((c) => [c.checkedAt, c.progress, c.confidence] as const),
  ];
  const option = {
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => `${String(v)}%`,
    },
    xAxis: {
      type: 'time',
      min: `${detail.goal.periodStart}T00:00:00Z`,
      max: `${detail.goal.periodEnd}T23:59:59Z`,
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: 'Progress',
        type: 'line',
        step: 'end',
        data: points.map(([at, progress]) => [at, progress]),
        symbolSize: 7,
        areaStyle: { opacity: 0.08 },
      },
    ],
  };
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  });
  return (
    <div
      role="img"
      aria-label={`Progress chart: ${detail.goal.progress}% after ${detail.checkIns.length} check-ins`}
      data-testid="progress-chart"
    >
      <div ref={ref} style={{ height: 240, width: '100%' }} />
    </div>
  );
}
