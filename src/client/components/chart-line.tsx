import { useId } from "react";

export interface LinePoint {
  label: string;
  /** 0..1; null when there is nothing to measure. */
  value: number | null;
}

const W = 640;
const H = 240;
const PAD = { top: 16, right: 16, bottom: 40, left: 48 };

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** A share over time against a goal line. The same numbers are always in a table next to it. */
export function ChartLine({
  title,
  desc,
  points,
  goal,
}: {
  title: string;
  desc: string;
  points: LinePoint[];
  goal: number;
}) {
  const id = useId();
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => PAD.top + (1 - v) * innerH;
  const measured = points.map((p, i) => ({ ...p, i })).filter((p) => p.value !== null);
  const path = measured
    .map((p, k) => `${k ? "L" : "M"}${x(p.i).toFixed(1)},${y(p.value!).toFixed(1)}`)
    .join(" ");
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#c9d0d9" strokeWidth="1" />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize="12" fill="#4a5360">
            {pct(t)}
          </text>
        </g>
      ))}
      <line
        x1={PAD.left}
        x2={W - PAD.right}
        y1={y(goal)}
        y2={y(goal)}
        stroke="#a4161a"
        strokeWidth="2"
        strokeDasharray="6 4"
      />
      <text x={W - PAD.right} y={y(goal) - 6} textAnchor="end" fontSize="12" fill="#a4161a">
        Goal {pct(goal)}
      </text>
      {path ? <path d={path} fill="none" stroke="#0b5cab" strokeWidth="2.5" /> : null}
      {measured.map((p) => (
        <circle key={p.i} cx={x(p.i)} cy={y(p.value!)} r="3.5" fill="#0b5cab" />
      ))}
      {points.map((p, i) =>
        i % labelEvery === 0 ? (
          <text
            key={p.label}
            x={x(i)}
            y={H - PAD.bottom + 18}
            textAnchor="middle"
            fontSize="12"
            fill="#4a5360"
          >
            {p.label}
          </text>
        ) : null,
      )}
    </svg>
  );
}
