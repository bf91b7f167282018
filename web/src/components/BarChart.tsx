// A small accessible SVG bar chart (no charting library needed for three charts).
export interface Bar {
  label: string;
  value: number;
}

const show = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

export function BarChart({ bars, title, unit, height = 160 }: { bars: Bar[]; title: string; unit: string; height?: number }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = Math.max(240, bars.length * 36);
  const barW = width / Math.max(1, bars.length);
  const drawn = Math.min(barW - 8, 56); // one or two bars stay bars, not blocks
  return (
    <figure className="chart">
      <svg viewBox={`0 -4 ${width} ${height + 28}`} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${show(b.value)} ${unit}`).join(", ")}`}>
        {bars.map((b, i) => {
          const h = (b.value / max) * height;
          return (
            <g key={b.label + i}>
              <rect x={i * barW + (barW - drawn) / 2} y={height - h} width={drawn} height={h} rx={3} className="bar">
                <title>{`${b.label}: ${show(b.value)} ${unit}`}</title>
              </rect>
              {b.value > 0 && (
                <text x={i * barW + barW / 2} y={Math.max(12, height - h - 4)} textAnchor="middle" className="value">
                  {show(b.value)}
                </text>
              )}
              <text x={i * barW + barW / 2} y={height + 16} textAnchor="middle" className="axis">
                {b.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
