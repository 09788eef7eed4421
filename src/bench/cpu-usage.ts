import fs from "node:fs";

// Linux's USER_HZ: /proc reports CPU time in these ticks.
const TICKS_PER_SECOND = 100;

interface ProcTimes {
  pid: number;
  pgrp: number;
  ticks: number;
}

function readProc(pid: number): ProcTimes | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: fields start after the last ")".
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function pids(): number[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

function systemBusyTicks(): { busy: number; total: number } {
  const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return { busy: total - idle, total };
}

export interface CpuGroups {
  /** The app's process group (next start). */
  appPgrp?: number;
  /** The load generator (autocannon) process. */
  loadgenPid?: number;
  /** PostgreSQL backends serving this database are recognised by their process title. */
  database: string;
}

export interface CpuSample {
  at: number;
  system: { busy: number; total: number };
  procs: Map<number, { ticks: number; group: keyof CpuBreakdown }>;
}

/** Cores used on average over an interval, per part; `other` is whatever else ran on the machine. */
export interface CpuBreakdown {
  app: number;
  postgres: number;
  loadgen: number;
  bench: number;
  other: number;
  idle: number;
}

export function sampleCpu(g: CpuGroups): CpuSample {
  const procs = new Map<number, { ticks: number; group: keyof CpuBreakdown }>();
  const backend = new RegExp(`^postgres: .*\\b${g.database}\\b`);
  for (const pid of pids()) {
    const p = readProc(pid);
    if (!p) continue;
    let group: keyof CpuBreakdown | null = null;
    if (pid === process.pid) group = "bench";
    else if (g.loadgenPid && pid === g.loadgenPid) group = "loadgen";
    else if (g.appPgrp && p.pgrp === g.appPgrp) group = "app";
    else if (backend.test(cmdline(pid))) group = "postgres";
    if (group) procs.set(pid, { ticks: p.ticks, group });
  }
  return { at: Date.now(), system: systemBusyTicks(), procs };
}

export function cpuBetween(a: CpuSample, b: CpuSample): CpuBreakdown {
  const seconds = (b.at - a.at) / 1000;
  const out: CpuBreakdown = { app: 0, postgres: 0, loadgen: 0, bench: 0, other: 0, idle: 0 };
  for (const [pid, p] of b.procs) {
    const before = a.procs.get(pid)?.ticks ?? 0;
    out[p.group] += (p.ticks - before) / TICKS_PER_SECOND / seconds;
  }
  const cores = (b.system.total - a.system.total) / TICKS_PER_SECOND / seconds;
  const busy = (b.system.busy - a.system.busy) / TICKS_PER_SECOND / seconds;
  const ours = out.app + out.postgres + out.loadgen + out.bench;
  out.other = Math.max(0, busy - ours);
  out.idle = Math.max(0, cores - busy);
  for (const k of Object.keys(out) as (keyof CpuBreakdown)[]) out[k] = Math.round(out[k] * 100) / 100;
  return out;
}
