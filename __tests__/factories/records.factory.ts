import type { DataSource } from "typeorm";
import type { RecordsRequest } from "../../entities";
import type { Viewer } from "../../src/server/auth/viewer";
import {
  recordRecordsRequest,
  type RecordRecordsRequestCommand,
} from "../../src/server/records/records-request.service";

let n = 0;

/** A records request recorded through the service; the scope must be given (it is the point of a test). */
export async function makeRecordsRequest(
  ds: DataSource,
  viewer: Viewer,
  overrides: Partial<RecordRecordsRequestCommand> & Pick<RecordRecordsRequestCommand, "scope">,
): Promise<RecordsRequest> {
  n++;
  return recordRecordsRequest(ds, viewer, {
    requesterName: `Reporter ${n}`,
    requesterEmail: `reporter${n}@news.example`,
    requesterOrganization: "The Valley Ledger",
    description: "All pothole reports and the city's answers for the period.",
    ...overrides,
  });
}
