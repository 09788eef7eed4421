import Holidays from "date-holidays";
import { config } from "../config/config";
import type { BusinessCalendar, PlainDate } from "./business-days";

const holidayYears = new Map<string, Set<PlainDate>>();

/** Public holidays (with observed substitutes) of the configured region, e.g. US-AZ. */
export function holidaysOf(region: string, year: number): Set<PlainDate> {
  const key = `${region}:${year}`;
  let set = holidayYears.get(key);
  if (!set) {
    const [country, state] = region.split("-");
    const hd = state ? new Holidays(country, state) : new Holidays(country);
    set = new Set(
      (hd.getHolidays(year) || []).filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)),
    );
    holidayYears.set(key, set);
  }
  return set;
}

export function cityCalendar(): BusinessCalendar {
  const cfg = config();
  return {
    timeZone: cfg.STAR_TIME_ZONE,
    closeHour: 17,
    isHoliday: (date) => holidaysOf(cfg.STAR_HOLIDAY_REGION, Number(date.slice(0, 4))).has(date),
  };
}
