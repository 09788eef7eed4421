import { useId } from "react";

export interface Bar {
  label: string;
  value: number;
  /** What is written at the end of the bar. */
  text: string;
}

const W = 640;
const ROW = 28;
const LABEL_W = 200;
const PAD = { top: 8, right: 72, bottom: 8 };

/**
 * Horizontal bars, one per row; `max` is the scale's end (1 for shares). `goal`, when given, is drawn as
 * a line across the bars. The same numbers are always in a table next to it.
 */
export function ChartBars({
  title,
  desc,
  bars,
  max,
  goal,
}: {
  title: string;
  desc: string;
  bars: Bar[];
  max: number;
  goal?: number;
}) {
  const id = useId();
  const h = PAD.top + PAD.bottom + Math.max(1, bars.length) * ROW;
  const innerW = W - LABEL_W - PAD.right;
  const x = (v: number) => LABEL_W + (max > 0 ? (Math.min(v, max) / max) * innerW : 0);
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${h}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {bars.map((b, i) => {
        const top = PAD.top + i * ROW;
        return (
          <g key={`${b.label}-${i}`}>
            <text x={LABEL_W - 8} y={top + ROW / 2 + 4} textAnchor="end" fontSize="12" fill="#1b1f24">
              {b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label}
            </text>
            <rect
              x={LABEL_W}
              y={top + 4}
              width={Math.max(0, x(b.value) - LABEL_W)}
              height={ROW - 8}
              fill="#0b5cab"
            />
            <text x={x(b.value) + 6} y={top + ROW / 2 + 4} fontSize="12" fill="#1b1f24">
              {b.text}
            </text>
          </g>
        );
      })}
      {goal !== undefined ? (
        <line
          x1={x(goal)}
          x2={x(goal)}
          y1={PAD.top}
          y2={h - PAD.bottom}
          stroke="#a4161a"
          strokeWidth="2"
          strokeDasharray="6 4"
        />
      ) : null}
    </svg>
  );
}
