import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config/config";
import { logger } from "../logging/logger";

let secret: string | undefined;

/**
 * NEXTAUTH_SECRET when set. On the embedded database a random secret is made once and kept in the data
 * folder (git-ignored), so the two-command start needs no setting and sessions survive a restart.
 */
export function authSecret(): string {
  if (secret) return secret;
  const cfg = config();
  if (cfg.NEXTAUTH_SECRET) return (secret = cfg.NEXTAUTH_SECRET);
  if (cfg.embedded) {
    const file = path.join(cfg.dataDir, "auth-secret");
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    }
    return (secret = fs.readFileSync(file, "utf8").trim());
  }
  logger.warn("NEXTAUTH_SECRET is not set: sessions end when this process stops");
  return (secret = randomBytes(32).toString("base64url"));
}
