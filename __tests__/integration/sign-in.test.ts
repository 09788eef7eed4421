import type { DataSource } from "typeorm";
import { Role, StaffUser } from "../../entities";
import { hashPassword, verifyPassword } from "../../src/server/auth/password";
import { signInWithPassword } from "../../src/server/auth/sign-in.service";
import { resetConfig } from "../../src/server/config/config";
import { makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";

let ds: DataSource;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
});
afterAll(() => ds.destroy());

const withPassword = async (password: string, overrides: Partial<StaffUser> = {}) => {
  const user = await makeStaff(ds, Role.INTAKE, overrides);
  await ds.getRepository(StaffUser).update({ id: user.id }, { passwordHash: await hashPassword(password) });
  return user;
};

describe("password sign-in", () => {
  it("stores a salted scrypt hash, never the password", async () => {
    const a = await hashPassword("correct horse");
    const b = await hashPassword("correct horse");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toEqual(b);
    expect(a).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct hors", a)).toBe(false);
  });

  it("signs in with the right password, case-insensitive email, and puts the role on the viewer", async () => {
    const user = await withPassword("s3cret-enough");
    const result = await signInWithPassword(ds, user.email.toUpperCase(), "s3cret-enough");
    expect(result).toEqual({ ok: true, viewer: expect.objectContaining({ id: user.id, role: Role.INTAKE }) });
  });

  it("refuses an unknown email and an inactive account the same way", async () => {
    const inactive = await withPassword("s3cret-enough", { active: false });
    expect(await signInWithPassword(ds, "nobody@star.test", "s3cret-enough")).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await signInWithPassword(ds, inactive.email, "s3cret-enough")).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("locks the account after five failures in a row, even for the right password", async () => {
    process.env.STAR_SIGN_IN_MAX_FAILURES = "5";
    resetConfig();
    const user = await withPassword("s3cret-enough");
    for (let i = 0; i < 5; i++) {
      expect((await signInWithPassword(ds, user.email, "wrong")).ok).toBe(false);
    }
    const locked = await signInWithPassword(ds, user.email, "s3cret-enough");
    expect(locked).toEqual(expect.objectContaining({ ok: false, reason: "locked" }));
    const row = await ds.getRepository(StaffUser).findOneByOrFail({ id: user.id });
    expect(row.failedSignIns).toBe(5);
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
  });

  it("resets the failure count after a good sign-in", async () => {
    const user = await withPassword("s3cret-enough");
    await signInWithPassword(ds, user.email, "wrong");
    await signInWithPassword(ds, user.email, "wrong");
    expect((await signInWithPassword(ds, user.email, "s3cret-enough")).ok).toBe(true);
    const row = await ds.getRepository(StaffUser).findOneByOrFail({ id: user.id });
    expect(row.failedSignIns).toBe(0);
    expect(row.lastSignInAt).not.toBeNull();
  });
});
