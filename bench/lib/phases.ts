/** Wall time of each phase of a bench run, so the report can say where its ten minutes go. */
export interface Phase {
  phase: string;
  seconds: number;
}

/**
 * `end(name)` closes the phase that ran since the previous call (or since the clock was made);
 * a name seen before adds to that phase (the interleaved rounds come back to each level).
 */
export function phaseClock(): { phases: Phase[]; end(name: string): void } {
  const phases: Phase[] = [];
  let last = performance.now();
  return {
    phases,
    end(name) {
      const now = performance.now();
      const seconds = (now - last) / 1000;
      last = now;
      const seen = phases.find((p) => p.phase === name);
      if (seen) seen.seconds += seconds;
      else phases.push({ phase: name, seconds });
    },
  };
}
