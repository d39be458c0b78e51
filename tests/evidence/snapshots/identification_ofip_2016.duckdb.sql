WITH "t2" AS (
  SELECT
    "t1"."school_number",
    "t1"."ys",
    CAST(CASE WHEN SUM("t1"."usable") > 0 THEN 1 ELSE 0 END AS BIGINT) AS "has_data",
    CAST(CASE WHEN SUM("t1"."below") >= 4 THEN 1 ELSE 0 END AS BIGINT) AS "meets",
    MIN(
      CASE
        WHEN "t1"."usable" = 1
        THEN "t1"."pct_at_standard"
        ELSE CAST(NULL AS DOUBLE)
      END
    ) AS "min_pct",
    MAX("t1"."school_name") AS "school_name",
    MAX("t1"."board_number") AS "board_number",
    MAX("t1"."board_name") AS "board_name"
  FROM (
    SELECT
      "t0"."school_number",
      "t0"."school_name",
      "t0"."board_number",
      "t0"."board_name",
      "t0"."assessment",
      "t0"."participating",
      "t0"."pct_at_standard",
      CAST(SUBSTRING(
        "t0"."school_year",
        CASE WHEN (
          0 + 1
        ) >= 1 THEN 0 + 1 ELSE 0 + 1 + LENGTH("t0"."school_year") END,
        4
      ) AS BIGINT) AS "ys",
      CAST(CASE
        WHEN COALESCE(
          (
            COALESCE("t0"."status", '') = ''
          )
          AND (
            "t0"."pct_at_standard" IS NOT NULL
          ),
          FALSE
        )
        THEN 1
        ELSE 0
      END AS BIGINT) AS "usable",
      CAST(CASE
        WHEN COALESCE(
          COALESCE(
            (
              COALESCE("t0"."status", '') = ''
            )
            AND (
              "t0"."pct_at_standard" IS NOT NULL
            ),
            FALSE
          )
          AND (
            "t0"."pct_at_standard" < 50.0
          ),
          FALSE
        )
        THEN 1
        ELSE 0
      END AS BIGINT) AS "below"
    FROM "results" AS "t0"
    WHERE
      "t0"."group" = 'all'
      AND "t0"."assessment" IN ('G3-READ', 'G3-WRITE', 'G3-MATH', 'G6-READ', 'G6-WRITE', 'G6-MATH')
      AND "t0"."school_year" IN ('2017-18', '2018-19')
  ) AS "t1"
  GROUP BY
    1,
    2
)
SELECT
  "t8"."school_number",
  "t8"."school_name",
  "t8"."board_number",
  "t8"."board_name",
  "t8"."status",
  "t8"."years_meeting",
  "t8"."years_missing",
  "t8"."lowest_latest",
  "t8"."category"
FROM (
  SELECT
    "t7"."school_number",
    "t5"."school_name",
    "t5"."board_number",
    "t5"."board_name",
    CASE
      WHEN "t7"."years_meeting" >= 2
      THEN 'identified'
      WHEN (
        "t7"."years_meeting" + (
          2 - "t7"."years_with_data"
        )
      ) < 2
      THEN 'not_identified'
      ELSE 'insufficient_data'
    END AS "status",
    "t7"."years_meeting",
    2 - "t7"."years_with_data" AS "years_missing",
    "t7"."lowest_latest",
    CAST(NULL AS TEXT) AS "category",
    2018 AS "eval_start",
    "t7"."meet_mask",
    "t7"."data_mask"
  FROM (
    SELECT
      "t3"."school_number",
      SUM("t3"."meets") AS "years_meeting",
      SUM("t3"."has_data") AS "years_with_data",
      MIN(
        CASE
          WHEN (
            2018 - "t3"."ys"
          ) = 0
          THEN "t3"."min_pct"
          ELSE CAST(NULL AS DOUBLE)
        END
      ) AS "lowest_latest",
      SUM(
        "t3"."meets" * CASE
          WHEN (
            2018 - "t3"."ys"
          ) = 0
          THEN 1
          WHEN (
            2018 - "t3"."ys"
          ) = 1
          THEN 2
          ELSE 0
        END
      ) AS "meet_mask",
      SUM(
        "t3"."has_data" * CASE
          WHEN (
            2018 - "t3"."ys"
          ) = 0
          THEN 1
          WHEN (
            2018 - "t3"."ys"
          ) = 1
          THEN 2
          ELSE 0
        END
      ) AS "data_mask",
      MAX("t3"."ys") AS "latest_ys"
    FROM "t2" AS "t3"
    GROUP BY
      1
  ) AS "t7"
  INNER JOIN (
    SELECT
      "t3"."school_number",
      "t3"."school_name",
      "t3"."board_number",
      "t3"."board_name",
      "t3"."ys" AS "latest_ys"
    FROM "t2" AS "t3"
  ) AS "t5"
    ON "t7"."school_number" = "t5"."school_number"
    AND "t7"."latest_ys" = "t5"."latest_ys"
) AS "t8"
ORDER BY
  "t8"."school_number" ASC
