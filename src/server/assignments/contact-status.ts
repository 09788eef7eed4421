import { AssignmentStatus, ContactStatus } from "../../../entities/enums";

/**
 * A contact is closed when every assignment still in force is complete; in progress when any is being
 * worked; open otherwise. Transferred and cancelled assignments no longer count.
 */
export function contactStatus(assignments: readonly { status: AssignmentStatus }[]): ContactStatus {
  const live = assignments.filter(
    (a) => a.status !== AssignmentStatus.TRANSFERRED && a.status !== AssignmentStatus.CANCELLED,
  );
  if (live.length && live.every((a) => a.status === AssignmentStatus.COMPLETED)) return ContactStatus.CLOSED;
  if (
    live.some((a) => a.status === AssignmentStatus.IN_PROGRESS || a.status === AssignmentStatus.COMPLETED)
  ) {
    return ContactStatus.IN_PROGRESS;
  }
  return ContactStatus.OPEN;
}
