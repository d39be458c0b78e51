SELECT
  "t2"."school_year",
  "t2"."assessment",
  "t2"."group",
  CASE
    WHEN "t2"."_known_rows" > 0
    THEN "t2"."_weighted" / "t2"."_weight"
    ELSE "t2"."_plain" / CAST("t2"."_rows" AS DOUBLE)
  END AS "pct_at_standard",
  CASE WHEN "t2"."_known_rows" > 0 THEN "t2"."_known_schools" ELSE "t2"."_schools" END AS "schools",
  CAST(CASE WHEN "t2"."_known_rows" > 0 THEN "t2"."_weight" ELSE CAST(NULL AS DOUBLE) END AS BIGINT) AS "students",
  CASE WHEN "t2"."_known_rows" > 0 THEN 'participating' ELSE 'equal' END AS "weighting"
FROM (
  SELECT
    "t1"."school_year",
    "t1"."assessment",
    "t1"."group",
    SUM(
      CASE
        WHEN (
          "t1"."participating" IS NOT NULL
        ) AND (
          "t1"."participating" > 0
        )
        THEN 1
        ELSE 0
      END
    ) AS "_known_rows",
    SUM(CAST("t1"."participating" AS DOUBLE)) FILTER(WHERE
      (
        "t1"."participating" IS NOT NULL
      ) AND (
        "t1"."participating" > 0
      )) AS "_weight",
    SUM(CAST("t1"."participating" AS DOUBLE) * "t1"."pct_at_standard") FILTER(WHERE
      (
        "t1"."participating" IS NOT NULL
      ) AND (
        "t1"."participating" > 0
      )) AS "_weighted",
    SUM("t1"."pct_at_standard") AS "_plain",
    COUNT(*) AS "_rows",
    SUM(
      CASE
        WHEN (
          "t1"."participating" IS NOT NULL
        ) AND (
          "t1"."participating" > 0
        )
        THEN 1
        ELSE 0
      END
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
  "t2"."school_year" ASC,
  "t2"."assessment" ASC,
  "t2"."group" ASC
