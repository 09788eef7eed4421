import type { DataSource } from "typeorm";
import { StaffUser } from "../../../entities";
import { config } from "../config/config";
import { updateReturning } from "../db/sql";
import { logger } from "../logging/logger";
import { burnPasswordCheck, verifyPassword } from "./password";
import type { Viewer } from "./viewer";

export type SignInResult =
  { ok: true; viewer: Viewer } | { ok: false; reason: "invalid" | "locked"; lockedUntil?: Date };

export function toViewer(u: Pick<StaffUser, "id" | "email" | "name" | "role" | "departmentId">): Viewer {
  return { id: u.id, email: u.email, name: u.name, role: u.role, departmentId: u.departmentId };
}

/**
 * Email and password. Failures are counted on the account (so the limit holds across app nodes): after
 * STAR_SIGN_IN_MAX_FAILURES in a row the account is locked for STAR_SIGN_IN_LOCK_MINUTES.
 */
export async function signInWithPassword(
  ds: DataSource,
  email: string,
  password: string,
): Promise<SignInResult> {
  const cfg = config();
  const normalized = (email ?? "").trim().toLowerCase();
  const user = await ds
    .getRepository(StaffUser)
    .createQueryBuilder("u")
    .addSelect("u.passwordHash")
    .where("u.email = :email", { email: normalized })
    .getOne();
  if (!user || !user.active || !user.passwordHash) {
    await burnPasswordCheck(password ?? "");
    logger.info({ event: "sign_in_failed", email: normalized, reason: "unknown" }, "sign-in refused");
    return { ok: false, reason: "invalid" };
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    logger.warn({ event: "sign_in_locked", userId: user.id }, "sign-in refused: account locked");
    return { ok: false, reason: "locked", lockedUntil: user.lockedUntil };
  }
  if (!(await verifyPassword(password ?? "", user.passwordHash))) {
    const [{ failed_sign_ins: failures }] = await updateReturning<{ failed_sign_ins: number }>(
      ds,
      `UPDATE staff_user SET failed_sign_ins = failed_sign_ins + 1,
              locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN now() + make_interval(mins => $3) END
        WHERE id = $1 RETURNING failed_sign_ins`,
      [user.id, cfg.STAR_SIGN_IN_MAX_FAILURES, cfg.STAR_SIGN_IN_LOCK_MINUTES],
    );
    logger.info({ event: "sign_in_failed", userId: user.id, failures }, "sign-in refused");
    return { ok: false, reason: "invalid" };
  }
  await ds.query(
    `UPDATE staff_user SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1`,
    [user.id],
  );
  logger.info({ event: "sign_in", userId: user.id, role: user.role }, "signed in");
  return { ok: true, viewer: toViewer(user) };
}

/** For single sign-on: the city's identity provider vouches for the email; the role comes from STAR. */
export async function staffForSso(ds: DataSource, email: string): Promise<Viewer | null> {
  const user = await ds.getRepository(StaffUser).findOneBy({ email: (email ?? "").trim().toLowerCase() });
  if (!user || !user.active) return null;
  await ds.query(`UPDATE staff_user SET last_sign_in_at = now() WHERE id = $1`, [user.id]);
  return toViewer(user);
}

const activeCache = new Map<string, { viewer: Viewer | null; at: number }>();
const ACTIVE_TTL_MS = 30_000;

/**
 * The session cookie says who signed in; this re-reads the account at most every 30 seconds, so a
 * deactivated account or a changed role takes effect quickly without a query on every request.
 */
export async function currentStaff(ds: DataSource, id: string): Promise<Viewer | null> {
  const hit = activeCache.get(id);
  if (hit && Date.now() - hit.at < ACTIVE_TTL_MS) return hit.viewer;
  const user = await ds.getRepository(StaffUser).findOneBy({ id });
  const viewer = user && user.active ? toViewer(user) : null;
  activeCache.set(id, { viewer, at: Date.now() });
  return viewer;
}

export function forgetStaffCache(): void {
  activeCache.clear();
}
