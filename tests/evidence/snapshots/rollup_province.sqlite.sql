SELECT
  "t2"."school_year",
  "t2"."assessment",
  "t2"."group",
  IIF(
    "t2"."_known_rows" > 0,
    CAST("t2"."_weighted" AS REAL) / "t2"."_weight",
    "t2"."_plain" / CAST("t2"."_rows" AS REAL)
  ) AS "pct_at_standard",
  IIF("t2"."_known_rows" > 0, "t2"."_known_schools", "t2"."_schools") AS "schools",
  CAST(IIF("t2"."_known_rows" > 0, "t2"."_weight", CAST(NULL AS REAL)) AS INTEGER) AS "students",
  IIF("t2"."_known_rows" > 0, 'participating', 'equal') AS "weighting"
FROM (
  SELECT
    "t1"."school_year",
    "t1"."assessment",
    "t1"."group",
    SUM(
      IIF((
        "t1"."participating" IS NOT NULL
      ) AND (
        "t1"."participating" > 0
      ), 1, 0)
    ) AS "_known_rows",
    SUM(CAST("t1"."participating" AS REAL)) FILTER(WHERE
      (
        "t1"."participating" IS NOT NULL
      ) AND (
        "t1"."participating" > 0
      )) AS "_weight",
    SUM(CAST("t1"."participating" AS REAL) * "t1"."pct_at_standard") FILTER(WHERE
      (
        "t1"."participating" IS NOT NULL
      ) AND (
        "t1"."participating" > 0
      )) AS "_weighted",
    SUM("t1"."pct_at_standard") AS "_plain",
    COUNT(*) AS "_rows",
    SUM(
      IIF((
        "t1"."participating" IS NOT NULL
      ) AND (
        "t1"."participating" > 0
      ), 1, 0)
    ) AS "_known_schools",
    COUNT(*) AS "_schools"
  FROM (
    SELECT
      *
    FROM "results" AS "t0"
    WHERE
      "t0"."group" = 'all' AND "t0"."pct_at_standard" IS NOT NULL
  ) AS "t1"
  GROUP BY
    1,
    2,
    3
) AS "t2"
ORDER BY
  "t2"."school_year" ASC NULLS LAST,
  "t2"."assessment" ASC NULLS LAST,
  "t2"."group" ASC NULLS LAST
