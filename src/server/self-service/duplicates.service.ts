import type { DataSource } from "typeorm";
import { ContactStatus } from "../../../entities";
import { badInput } from "../errors/domain-error";
import { textKey } from "../search/text-key";
import { optionalNumber, optionalText, uuid } from "../validation/validate";
import { hitRateLimit } from "./rate-limit.service";

export interface PublicOpenReport {
  referenceNumber: string;
  receivedAt: Date;
  status: ContactStatus;
  locationAddress: string | null;
}

const NEAR_METERS = 150;
const ADDRESS_SIMILARITY = 0.5;
const WINDOW_DAYS = 60;
const LIMIT = 5;

/**
 * Open first reports of the same issue that a submitter may join instead of filing again: the same
 * category, received in the last 60 days, at an address that reads alike or within 150 m. Confidential
 * requests are never offered, and only the reference, date, status and issue address are shown.
 */
export async function publicOpenReports(
  ds: DataSource,
  query: {
    categoryId: string;
    locationAddress?: string | null;
    locationLat?: number | null;
    locationLong?: number | null;
  },
  clientAddress: string | null | undefined,
): Promise<PublicOpenReport[]> {
  const categoryId = uuid("categoryId", query.categoryId);
  const address = optionalText("locationAddress", query.locationAddress, { max: 300 });
  const lat = optionalNumber("locationLat", query.locationLat, -90, 90);
  const long = optionalNumber("locationLong", query.locationLong, -180, 180);
  if ((lat == null) !== (long == null)) {
    throw badInput(lat == null ? "locationLat" : "locationLong", "give both latitude and longitude");
  }
  const key = address ? textKey(address) : "";
  if (!key && lat == null) return [];
  await hitRateLimit(ds, "status", clientAddress);
  const rows: {
    reference_number: string;
    received_at: Date;
    status: string;
    location_address: string | null;
  }[] = await ds.query(
    `SELECT m.reference_number, m.received_at, m.status, m.location_address FROM (
         SELECT ct.reference_number, ct.received_at, ct.location_address,
                (SELECT CASE WHEN bool_or(a.status = 'IN_PROGRESS') THEN 'IN_PROGRESS' ELSE 'OPEN' END
                   FROM assignment a WHERE a.contact_id = ct.id AND a.is_lead
                    AND a.status IN ('OPEN','IN_PROGRESS')) AS status,
                CASE WHEN $2::text <> '' AND ct.location_address IS NOT NULL
                     THEN similarity(lower(ct.location_address), $2::text) ELSE 0 END AS sim,
                CASE WHEN $3::float8 IS NOT NULL AND ct.location_lat IS NOT NULL AND ct.location_long IS NOT NULL
                     THEN (6371000 * radians(sqrt(power(ct.location_lat - $3::float8, 2) +
                          power((ct.location_long - $4::float8) * cos(radians((ct.location_lat + $3::float8) / 2)), 2))))
                END AS meters
           FROM contact ct
          WHERE ct.category_id = $1 AND ct.duplicate_of_id IS NULL AND NOT ct.confidential
            AND ct.received_at > now() - make_interval(days => $5::int)
            AND EXISTS (SELECT 1 FROM assignment a WHERE a.contact_id = ct.id AND a.is_lead
                          AND a.status IN ('OPEN','IN_PROGRESS'))) m
        WHERE m.sim >= ${ADDRESS_SIMILARITY} OR m.meters <= ${NEAR_METERS}
        ORDER BY GREATEST(m.sim, 1 - COALESCE(m.meters, ${NEAR_METERS}) / ${NEAR_METERS}) DESC, m.received_at
        LIMIT ${LIMIT}`,
    [categoryId, key, lat, long, WINDOW_DAYS],
  );
  return rows.map((r) => ({
    referenceNumber: r.reference_number,
    receivedAt: r.received_at,
    status: r.status === "IN_PROGRESS" ? ContactStatus.IN_PROGRESS : ContactStatus.OPEN,
    locationAddress: r.location_address,
  }));
}
