/**
 * A small bar chart in SVG: enough for counts and yearly figures without a charting library in the bundle. Values
 * are numbers for drawing only (heights); amounts keep their exact strings in `valueLabel`.
 */
export interface Bar {
  label: string;
  value: number;
  /** What is written above the bar (e.g. a formatted amount); the value by default. */
  valueLabel?: string;
  /** The bar's fill, when bars of two kinds stand side by side (e.g. a baseline beside a reform). */
  color?: string;
}

const HEIGHT = 180;
const BAR_WIDTH = 44;
const GAP = 28;

export function BarChart({ bars, title, target }: { bars: Bar[]; title: string; target?: { value: number; label: string } }) {
  const max = Math.max(1, target?.value ?? 0, ...bars.map((bar) => bar.value));
  const width = bars.length * (BAR_WIDTH + GAP) + GAP;
  const y = (value: number) => 20 + (HEIGHT - 20) * (1 - value / max);
  const summary = bars.map((bar) => `${bar.label} ${bar.valueLabel ?? bar.value}`).join('，');
  return (
    <svg role="img" aria-label={`${title}：${summary}`} viewBox={`0 0 ${width} ${HEIGHT + 28}`} width="100%" style={{ maxWidth: width * 1.6 }}>
      {bars.map((bar, index) => {
        const x = GAP + index * (BAR_WIDTH + GAP);
        return (
          <g key={bar.label}>
            <rect x={x} y={y(bar.value)} width={BAR_WIDTH} height={HEIGHT - y(bar.value)} fill={bar.color ?? '#1554c0'} rx={2} />
            <text x={x + BAR_WIDTH / 2} y={y(bar.value) - 6} textAnchor="middle" fontSize={12} fill="#1f1f1f">
              {bar.valueLabel ?? bar.value}
            </text>
            <text x={x + BAR_WIDTH / 2} y={HEIGHT + 18} textAnchor="middle" fontSize={12} fill="#1f1f1f">
              {bar.label}
            </text>
          </g>
        );
      })}
      {target && (
        <g>
          <line x1={0} x2={width} y1={y(target.value)} y2={y(target.value)} stroke="#b3261e" strokeDasharray="6 4" />
          <text x={width - 4} y={y(target.value) - 4} textAnchor="end" fontSize={12} fill="#b3261e">
            {target.label}
          </text>
        </g>
      )}
      <line x1={0} x2={width} y1={HEIGHT} y2={HEIGHT} stroke="#8c8c8c" />
    </svg>
  );
}
