/* yang:date-and-time and the topology module's duration type, as seconds. */
#include "yangio_internal.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "error_internal.h"

#define SECONDS_PER_DAY INT64_C(86400)

/* Days from 1970-01-01 to a proleptic Gregorian date. Counting years from
 * March puts the leap day last, so a 400-year era has a fixed shape. */
static int64_t days_from_civil(int64_t year, int month, int day)
{
    if (month <= 2)
        year -= 1;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t year_of_era = year - era * 400;
    int month_from_march = (month + 9) % 12;
    int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t day_of_era = days - era * 146097;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int month_from_march = (int)((5 * day_of_year + 2) / 153);
    *day = (int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    *month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
    *year = year_of_era + era * 400 + (*month <= 2);
}

static bool is_leap(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int64_t year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Read exactly `count` digits at *p into *out; advances *p. */
static bool read_digits(const char **p, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    *p += count;
    *out = value;
    return true;
}

static bool expect_char(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

/* "Z", "-00:00" (offset unknown, taken as UTC) or "+HH:MM"/"-HH:MM" as seconds east of UTC. */
static bool read_offset(const char **p, int64_t *out)
{
    if (**p == 'Z' || **p == 'z') {
        (*p)++;
        *out = 0;
        return true;
    }
    int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0;
    int hours, minutes;
    if (!sign)
        return false;
    (*p)++;
    if (!read_digits(p, 2, &hours) || !expect_char(p, ':') || !read_digits(p, 2, &minutes) ||
        hours > 23 || minutes > 59)
        return false;
    *out = sign * (hours * 3600 + minutes * 60);
    return true;
}

static bool parse_date(int64_t *out, const char *text)
{
    const char *p = text;
    int year, month, day, hour, minute, second;
    if (!read_digits(&p, 4, &year) || !expect_char(&p, '-') || !read_digits(&p, 2, &month) ||
        !expect_char(&p, '-') || !read_digits(&p, 2, &day) ||
        !(expect_char(&p, 'T') || expect_char(&p, 't')) || !read_digits(&p, 2, &hour) ||
        !expect_char(&p, ':') || !read_digits(&p, 2, &minute) || !expect_char(&p, ':') ||
        !read_digits(&p, 2, &second))
        return false;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
        minute > 59 || second > 60)
        return false;
    if (*p == '.') {
        /* whole seconds only: the fraction is checked and dropped */
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int64_t offset;
    if (!read_offset(&p, &offset) || *p != '\0')
        return false;
    *out = days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 +
           second - offset;
    return true;
}

int iotnet__date_parse(int64_t *out, const char *text)
{
    if (!text || !parse_date(out, text))
        return iotnet__error_set(IOTNET_EINVAL,
                                 "invalid date-and-time \"%s\" (expected YYYY-MM-DDTHH:MM:SS "
                                 "with Z or an offset such as +02:00)",
                                 text ? text : "");
    return 0;
}

int iotnet__date_format(char *buf, size_t size, int64_t seconds)
{
    int64_t first = days_from_civil(0, 1, 1) * SECONDS_PER_DAY;
    int64_t last = days_from_civil(9999, 12, 31) * SECONDS_PER_DAY + SECONDS_PER_DAY - 1;
    if (seconds < first || seconds > last)
        return iotnet__error_set(IOTNET_EINVAL,
                                 "date %" PRId64 " s is outside the years 0000 to 9999", seconds);
    int64_t days = seconds / SECONDS_PER_DAY;
    int64_t rest = seconds % SECONDS_PER_DAY;
    if (rest < 0) {
        rest += SECONDS_PER_DAY;
        days -= 1;
    }
    int64_t year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)year, month, day,
             (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60));
    return 0;
}

/* Add count * unit to *total, refusing overflow. */
static bool add_units(int64_t *total, int64_t count, int64_t unit)
{
    if (count > (INT64_MAX - *total) / unit)
        return false;
    *total += count * unit;
    return true;
}

/* Components before T use units "YMWD", after it "HMS", each at most once, in that order. */
static bool parse_duration(int64_t *out, const char *text)
{
    static const char date_units[] = "YMWD";
    static const int64_t date_seconds[] = {365 * 86400, 30 * 86400, 7 * 86400, 86400};
    static const char time_units[] = "HMS";
    static const int64_t time_seconds[] = {3600, 60, 1};
    const char *p = text;
    if (*p++ != 'P')
        return false;
    const char *units = date_units;
    const int64_t *unit_seconds = date_seconds;
    int next_unit = 0, components = 0;
    bool in_time = false;
    int64_t total = 0;
    while (*p) {
        if (*p == 'T') {
            if (in_time || p[1] == '\0')
                return false;
            in_time = true;
            units = time_units;
            unit_seconds = time_seconds;
            next_unit = 0;
            p++;
            continue;
        }
        if (*p < '0' || *p > '9')
            return false;
        int64_t count = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            int digit = *p - '0';
            if (count > (INT64_MAX - digit) / 10)
                return false;
            count = count * 10 + digit;
        }
        int u = next_unit;
        while (units[u] && units[u] != *p)
            u++;
        if (!units[u] || !add_units(&total, count, unit_seconds[u]))
            return false;
        next_unit = u + 1;
        components++;
        p++;
    }
    if (components == 0)
        return false;
    *out = total;
    return true;
}

int iotnet__duration_parse(int64_t *out, const char *text)
{
    if (!text || !parse_duration(out, text))
        return iotnet__error_set(IOTNET_EINVAL,
                                 "invalid duration \"%s\" (expected ISO 8601 whole units such "
                                 "as P10Y, P18M, P2W, P3D or PT36H)",
                                 text ? text : "");
    return 0;
}

int iotnet__duration_format(char *buf, size_t size, int64_t seconds)
{
    if (seconds < 0)
        return iotnet__error_set(IOTNET_EINVAL,
                                 "duration %" PRId64 " s is negative; topology files hold "
                                 "only durations of zero or more",
                                 seconds);
    if (seconds % SECONDS_PER_DAY == 0)
        snprintf(buf, size, "P%" PRId64 "D", seconds / SECONDS_PER_DAY);
    else
        snprintf(buf, size, "PT%" PRId64 "S", seconds);
    return 0;
}
