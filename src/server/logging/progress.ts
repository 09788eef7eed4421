/** Progress for long jobs (seeding, imports, benchmarks): a line per step on stderr, never on stdout. */
export function progress(label: string, total: number) {
  const started = Date.now();
  let lastStep = -1;
  return {
    /** Prints when a tenth of the way is crossed (steps rarely land on one exactly) and at the end. */
    tick(done: number) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      const step = done >= total ? 10 : Math.floor(pct / 10);
      if (step === lastStep) return;
      lastStep = step;
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
