import type { DataSource } from "typeorm";
import type { Viewer } from "../../src/server/auth/viewer";
import { issueApiKey } from "../../src/server/open311/api-key.service";

let n = 0;

/** An Open311 API key issued by `admin` through the service; the key itself as the client holds it. */
export async function makeApiKey(ds: DataSource, admin: Viewer, name = `Test app ${++n}`) {
  return issueApiKey(ds, admin, { name });
}

/**
 * `count` contacts and their open lead assignments in one statement, received an hour apart going back
 * from `newest`: enough rows for the 1,000-request limit without a thousand transactions.
 */
export async function makeBulkContacts(
  ds: DataSource,
  opts: { categoryId: string; departmentId: string; count: number; newest: Date; prefix?: string },
): Promise<void> {
  const prefix = opts.prefix ?? "BULK";
  await ds.query(
    `WITH c AS (
       INSERT INTO contact (reference_number, channel, received_at, entered_at, category_id, description,
                            location_address, confidential)
       SELECT $1 || '-' || lpad(i::text, 6, '0'), 'PHONE', $2::timestamptz - i * interval '1 hour',
              $2::timestamptz - i * interval '1 hour', $3, 'Bulk report ' || i, i || ' W Test St', false
         FROM generate_series(1, $4::int) i
       RETURNING id, received_at)
     INSERT INTO assignment (contact_id, department_id, is_lead, status, assigned_at, due_at)
     SELECT id, $5, true, 'OPEN', received_at, received_at + interval '5 days' FROM c`,
    [prefix, opts.newest, opts.categoryId, opts.count, opts.departmentId],
  );
}
