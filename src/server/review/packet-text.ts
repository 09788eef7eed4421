import type { FindingKind } from "./consistency.service";
import type { SlaFigures } from "./sla-report.service";

// No runtime imports: the packet page renders these in the browser as well.

/** Short names for the consistency findings' kinds, for the packet and its mail. */
export const FINDING_KIND_LABELS: Record<`${FindingKind}`, string> = {
  CONFLICTING_ANSWERS: "More than one answer",
  DEPARTS_FROM_STANDARD: "Far from the standard response",
  REPEAT_CONTACT: "Contacted again",
  TRANSFERRED_OFTEN: "Transferred more than twice",
  NO_ACTIVITY: "No activity",
};

export const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** One line of a five-day figure, in words. */
export function figureText(f: SlaFigures): string {
  if (!f.completed) return "nothing completed";
  return (
    `${percent(f.underFiveDaysShare ?? 0)} of ${f.completed} completed in under five days ` +
    `(${f.underFiveDays}); ${percent(f.onTimeShare ?? 0)} on time`
  );
}
