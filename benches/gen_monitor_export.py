#!/usr/bin/env python3
"""Write a generated Philips IntelliVue export, as VSCapture saves it, for benchmarks.

Usage: python3 benches/gen_monitor_export.py OUT.csv [--hours 24]

One row a second, 40 columns, header row only, comma-separated, CRLF line ends,
"-" for a missing value. The values are made up but plausible; the fixed seed
makes every run write the same bytes, so timings stay comparable.
"""

import argparse
import csv
import math
import random
from datetime import datetime, timedelta

SEED = 20260423
START = datetime(2026, 4, 23, 0, 0, 0)  # local wall time, no offset, as VSCapture writes it
TICKS_PER_SECOND = 8192  # RelativeTime counts 1/8192 s
NIBP_EVERY = 300  # a cuff measurement every 5 minutes; other rows have "-"
MISSING = 0.005  # share of vital cells left "-" (dropped out, as real exports have)

VITALS = [
    "NOM_PRESS_BLD_NONINV_SYS", "NOM_PRESS_BLD_NONINV_DIA", "NOM_PRESS_BLD_NONINV_MEAN",
    "NOM_ECG_CARD_BEAT_RATE", "NOM_PULS_OXIM_SAT_O2", "NOM_PLETH_PULS_RATE", "NOM_RESP_RATE",
]
# Non-vital numerics an IntelliVue also sends: (name, centre, noise, decimals).
# They are there so the importer has to skip columns it does not use, as in a real export.
OTHERS = [(f"NOM_ECG_AMPL_ST_{lead}", 0.0, 0.1, 1)
          for lead in ("I", "II", "III", "AVR", "AVL", "AVF", "V", "MCL", "V2", "V5")] + [
    ("NOM_ECG_AMPL_ST_INDEX", 0.3, 0.2, 1),
    ("NOM_ECG_V_P_C_CNT", 1.0, 1.0, 0),
    ("NOM_ECG_TIME_PD_QT_GL", 380.0, 8.0, 0),
    ("NOM_ECG_TIME_PD_QTc", 420.0, 8.0, 0),
    ("NOM_ECG_TIME_PD_QTc_DELTA", 0.0, 6.0, 0),
    ("NOM_ECG_TIME_PD_QT_HEART_RATE", 75.0, 4.0, 0),
    ("NOM_PULS_OXIM_PERF_REL", 2.5, 0.4, 2),
    ("NOM_TEMP", 36.8, 0.1, 1),
    ("NOM_TEMP_GEN_1", 36.6, 0.1, 1),
    ("NOM_TEMP_GEN_2", 35.9, 0.1, 1),
    ("NOM_TEMP_DIFF", 0.7, 0.1, 1),
    ("NOM_AWAY_CO2_ET", 36.0, 1.5, 0),
    ("NOM_AWAY_CO2_INSP_MIN", 0.0, 0.3, 0),
    ("NOM_AWAY_RESP_RATE", 14.0, 1.0, 0),
    ("NOM_CONC_AWAY_O2_ET", 17.0, 0.5, 0),
    ("NOM_CONC_AWAY_O2_INSP", 21.0, 0.3, 0),
    ("NOM_EEG_BISPECTRAL_INDEX", 85.0, 4.0, 0),
    ("NOM_EEG_BIS_SIG_QUAL_INDEX", 95.0, 3.0, 0),
    ("NOM_EMG_ELEC_POTL_MUSCL", 40.0, 3.0, 0),
    ("NOM_EEG_RATIO_SUPPRN", 0.0, 0.5, 0),
]
NON_NEGATIVE = {"NOM_ECG_V_P_C_CNT", "NOM_AWAY_CO2_INSP_MIN", "NOM_EEG_RATIO_SUPPRN"}
HEADER = ["Time", "RelativeTime", "SystemLocalTime"] + VITALS + [o[0] for o in OTHERS]
assert len(HEADER) == 40, len(HEADER)


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def number(name, value, decimals):
    if name in NON_NEGATIVE:
        value = abs(value)
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.0"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="CSV file to write")
    parser.add_argument("--hours", type=float, default=24.0, help="length of the recording (default 24)")
    args = parser.parse_args()
    if args.hours <= 0:
        parser.error("--hours must be positive")

    rng = random.Random(SEED)
    gauss, rand = rng.gauss, rng.random

    def vital(value):
        return "-" if rand() < MISSING else str(value)

    # Slow mean-reverting drifts, so values wander as a patient's do but stay near their centre.
    sys_walk = dia_walk = hr_walk = 0.0
    ticks = 1_572_864_000  # an arbitrary running tick counter, as the monitor's clock has
    with open(args.out, "w", newline="", encoding="ascii") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(HEADER)
        for s in range(int(args.hours * 3600)):
            now = START + timedelta(seconds=s)
            # The PC's clock stamps the row a little after the monitor's time.
            pc = now + timedelta(milliseconds=300 + rng.randint(-40, 40))
            cycle = math.sin(2 * math.pi * s / 21600)  # a 6-hour swing

            hr_walk = 0.998 * hr_walk + gauss(0, 0.15)
            hr = round(clamp(75 + 8 * cycle + hr_walk + gauss(0, 2), 55, 95))
            if s % NIBP_EVERY == 0:
                sys_walk = 0.8 * sys_walk + gauss(0, 2)
                dia_walk = 0.8 * dia_walk + gauss(0, 1.5)
                bp_sys = round(125 + 6 * cycle + sys_walk + gauss(0, 4))
                bp_dia = round(78 + 3 * cycle + dia_walk + gauss(0, 3))
                nibp = [vital(bp_sys), vital(bp_dia), vital(round(bp_dia + (bp_sys - bp_dia) / 3))]
            else:
                nibp = ["-", "-", "-"]
            spo2 = round(clamp(98 + gauss(0, 1), 94, 100))
            pleth = round(clamp(hr + gauss(0, 1), 50, 100))
            resp = round(clamp(14 + gauss(0, 1.5), 8, 22))

            others = [number(name, c + gauss(0, n), d) if rand() >= MISSING else "-"
                      for name, c, n, d in OTHERS]
            out.writerow([
                now.strftime("%m/%d/%Y %H:%M:%S"),
                ticks + s * TICKS_PER_SECOND,
                pc.strftime("%d-%m-%Y %H:%M:%S.") + f"{pc.microsecond // 1000:03d}",
                *nibp, vital(hr), vital(spo2), vital(pleth), vital(resp),
                *others,
            ])


if __name__ == "__main__":
    main()
