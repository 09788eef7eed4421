import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { Channel, Language } from "../../entities";
import {
  submitPublicRequest,
  type PublicReceipt,
  type PublicRequestCommand,
} from "../../src/server/intake/public-intake.service";

let n = 0;

/** A distinct client address per call, so that tests do not meet the rate limit unless they mean to. */
export function clientAddress(): string {
  return `198.51.100.${++n % 250}-${randomBytes(3).toString("hex")}`;
}

/** A web-form request through the public intake, with a name and a location; overrides win. */
export async function makePublicRequest(
  ds: DataSource,
  overrides: Partial<PublicRequestCommand> & { categoryId: string },
  address: string = clientAddress(),
): Promise<PublicReceipt> {
  return submitPublicRequest(
    ds,
    {
      description: "The streetlight on the corner has been out for a week.",
      locationAddress: `${100 + n} W Washington St`,
      language: Language.EN,
      firstName: "Rosalind",
      lastName: `Vantongeren${++n}`,
      publicRecordNoticeAcknowledged: true,
      ...overrides,
    },
    { channel: Channel.WEB, clientAddress: address },
  );
}
