import type { NextApiRequest, NextApiResponse } from "next";
import { viewerFromRequest } from "../../../src/server/auth/session";
import { getDataSource } from "../../../src/server/db/data-source";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import { buildReviewPacket, renderPacketPdf } from "../../../src/server/review/review-packet.service";

/** GET: this week's review packet as a PDF. */
export default async function packetPdfRoute(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") {
    res.setHeader("Allow", "GET");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    const packet = await buildReviewPacket(ds, viewer);
    const pdf = Buffer.from(await renderPacketPdf(packet));
    res.statusCode = 200;
    res.setHeader("Content-Type", "application/pdf");
    res.setHeader("Content-Disposition", `inline; filename="review-packet-${packet.weekStart}.pdf"`);
    res.setHeader("Content-Length", pdf.length);
    res.setHeader("Cache-Control", "no-store");
    res.end(pdf);
  } catch (err) {
    sendError(res, err);
  }
}
