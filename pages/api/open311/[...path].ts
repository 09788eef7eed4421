import type { NextApiRequest, NextApiResponse } from "next";
import { getDataSource } from "../../../src/server/db/data-source";
import { handleOpen311 } from "../../../src/server/open311/open311-http";

// POST bodies are form-encoded with `attribute[code]` keys: read as they are, not by Next's parser.
export const config = { api: { bodyParser: false } };

/** Open311 GeoReport v2; next.config.js rewrites /open311/... here. */
export default async function open311(req: NextApiRequest, res: NextApiResponse) {
  await handleOpen311(getDataSource, req, res);
}
