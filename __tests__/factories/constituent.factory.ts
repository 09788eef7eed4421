import type { DataSource } from "typeorm";
import { Channel, type Constituent, type Contact } from "../../entities";
import type { Viewer } from "../../src/server/auth/viewer";
import {
  createConstituent,
  type CreateConstituentCommand,
} from "../../src/server/constituents/constituent.service";
import { recordContact, type RecordContactCommand } from "../../src/server/intake/intake.service";

let n = 0;

/** A constituent created through the service (duplicate check confirmed), with unique contact details. */
export async function makeConstituent(
  ds: DataSource,
  viewer: Viewer,
  overrides: CreateConstituentCommand = {},
): Promise<Constituent> {
  n++;
  const outcome = await createConstituent(ds, viewer, {
    firstName: "Pat",
    lastName: `Resident${n}`,
    email: `pat.resident${n}.${Date.now()}@example.com`,
    confirmNotDuplicateReason: "test fixture",
    ...overrides,
  });
  return outcome.constituent!;
}

export async function makeContact(
  ds: DataSource,
  viewer: Viewer,
  overrides: Partial<RecordContactCommand> & { categoryId: string },
): Promise<Contact> {
  return recordContact(ds, viewer, {
    channel: Channel.PHONE,
    description: "There is a deep pothole in front of the library.",
    ...overrides,
  });
}
