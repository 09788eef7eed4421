import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth/next";
import type { DataSource } from "typeorm";
import { authOptions } from "./auth-options";
import { currentStaff } from "./sign-in.service";
import type { Viewer } from "./viewer";

let options: ReturnType<typeof authOptions> | undefined;

/** The signed-in staff member behind a request, re-checked against the account (cached briefly). */
export async function viewerFromRequest(
  ds: DataSource,
  req: NextApiRequest | (IncomingMessage & { cookies: Partial<Record<string, string>> }),
  res: NextApiResponse | ServerResponse,
): Promise<Viewer | null> {
  options ??= authOptions();
  const session = await getServerSession(req as NextApiRequest, res as NextApiResponse, options);
  const id = session?.user?.id;
  return id ? currentStaff(ds, id) : null;
}
