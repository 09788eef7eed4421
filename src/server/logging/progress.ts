/** Progress for long jobs (seeding, imports, benchmarks): a line per step on stderr, never on stdout. */
export function progress(label: string, total: number) {
  const started = Date.now();
  let lastPrinted = -1;
  return {
    tick(done: number) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (pct === lastPrinted || (pct % 10 !== 0 && done !== total)) return;
      lastPrinted = pct;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(
        `${label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${pct}%) ${secs}s\n`,
      );
    },
    done(note = "") {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`${label}: done in ${secs}s${note ? ` ${note}` : ""}\n`);
    },
  };
}
