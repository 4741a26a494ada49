-- The ranking of bench/rank written by hand for the sqlite3 shell: the same
-- weights join, caps and RANK() as `rdlz rank --period 2026-11`, without
-- categories, percentiles and pro-rating (which only make rdlz's work larger).
WITH agg AS (
  SELECT deputy_id, kind, count(*) AS n, total(quantity) AS q FROM duty_record
  WHERE occurred_at >= 1793462400 AND occurred_at < 1796054400 GROUP BY deputy_id, kind),
pts AS (
  SELECT a.deputy_id, CASE WHEN r.cap IS NULL THEN a.p ELSE max(-r.cap, min(r.cap, a.p)) END AS p
  FROM (SELECT a.deputy_id, a.kind,
               r.points * CASE r.per WHEN 'hour' THEN a.q / 60.0 WHEN 'minute' THEN a.q ELSE a.n END AS p
        FROM agg a JOIN rule r ON r.version = 1 AND r.kind = a.kind) a
  JOIN rule r ON r.version = 1 AND r.kind = a.kind),
tot AS (
  SELECT d.id, d.code, d.name, d.delegation, round(coalesce(sum(pts.p), 0), 2) AS total
  FROM deputy d LEFT JOIN pts ON pts.deputy_id = d.id WHERE d.code IS NOT NULL GROUP BY d.id)
SELECT RANK() OVER (ORDER BY total DESC) AS rank, code, name, delegation, total,
       round(100.0 * total / max(total) OVER (), 2) AS idx
FROM tot ORDER BY rank, code;
