import type { NextApiRequest, NextApiResponse } from "next";
import { config as starConfig } from "../../../src/server/config/config";
import { sendJson } from "../../../src/server/errors/http-error";
import { issueCsrfToken } from "../../../src/server/self-service/csrf";

/** GET: a fresh form token, also set as a cookie; the public form sends it back in the x-star-csrf header. */
export default function csrf(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") {
    res.setHeader("Allow", "GET");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  res.setHeader("Cache-Control", "no-store");
  sendJson(res, 200, {
    token: issueCsrfToken(res),
    maxUploadBytes: starConfig().STAR_PUBLIC_MAX_UPLOAD_BYTES,
  });
}
