/**
 * Vietnam's calendar day of a timestamptz expression, as SQL, whatever the session's TimeZone setting (UTC+7
 * without daylight saving since 1975, so a fixed offset).
 */
export const vnDay = (expr: string) => `((${expr} AT TIME ZONE 'UTC') + interval '7 hours')::date`;
