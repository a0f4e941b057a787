#!/usr/bin/env python3
"""Writes a synthetic hospital price file of realistic shape for bench/price_file_bench.sh.

Usage: price_file_gen.py json|tall OUT MEGABYTES [--seed N] [--plans N]

json: CMS v2 JSON (standard_charge_information[] items, each with code_information and
standard_charges in one or two settings, each with payers_information for every plan).
tall: CMS v2 tall CSV (metadata rows, header, one row per item x setting x payer plan).
The same seed always gives the same file. Codes are five-digit numbers (CPT-shaped) plus a
CDM code per item; prices are drawn around a per-item base.
"""
import argparse
import json
import random

PAYERS = ["Aetna", "Cigna", "UnitedHealthcare", "Blue Cross Blue Shield", "Humana", "Anthem", "Kaiser",
          "Molina", "Centene", "Oscar", "Medicare Advantage", "Tricare"]
PLANS = ["PPO", "HMO", "EPO", "POS", "HDHP", "Choice Plus"]
METHODS = ["fee schedule", "case rate", "percent of total billed charges", "per diem", "other"]


def plans(n, rng):
    out = []
    for i in range(n):
        out.append((PAYERS[i % len(PAYERS)], PLANS[(i // len(PAYERS)) % len(PLANS)] + ("" if i < 72 else f" {i}")))
    rng.shuffle(out)
    return out


def items(rng, plan_list):
    n = 0
    while True:
        n += 1
        code = f"{10000 + (n * 7919) % 89999:05d}"
        base = rng.randint(20, 20000)
        settings = ["outpatient"] if rng.random() < 0.6 else ["inpatient", "outpatient"]
        yield n, code, base, settings, plan_list


def write_json(out, target, rng, plan_list):
    f = open(out, "w")
    f.write('{"hospital_name": "Bench General Hospital", "last_updated_on": "2026-01-01", "version": "2.0.0",\n'
            ' "hospital_location": ["Bench General"], "hospital_address": ["1 Bench Way, Town, ST 00000"],\n'
            ' "license_information": {"license_number": "1", "state": "NY"}, "affirmation": {"affirmation": '
            '"To the best of its knowledge...", "confirm_affirmation": true},\n "standard_charge_information": [\n')
    size = 0
    first = True
    for n, code, base, settings, pl in items(rng, plan_list):
        charges = []
        for s in settings:
            payers = []
            for payer, plan in pl:
                p = {"payer_name": payer, "plan_name": plan}
                r = rng.random()
                if r < 0.8:
                    p["standard_charge_dollar"] = round(base * rng.uniform(0.3, 1.2), 2)
                    p["methodology"] = METHODS[0]
                elif r < 0.95:
                    p["standard_charge_percentage"] = rng.randint(30, 90)
                    p["estimated_amount"] = round(base * rng.uniform(0.3, 0.9), 2)
                    p["methodology"] = METHODS[2]
                else:
                    p["standard_charge_algorithm"] = "Case rate per the contract's grouper"
                    p["methodology"] = METHODS[1]
                payers.append(p)
            dollars = [p["standard_charge_dollar"] for p in payers if "standard_charge_dollar" in p] or [base]
            charges.append({"setting": s, "gross_charge": base * 2, "discounted_cash": round(base * 1.4, 2),
                            "minimum": min(dollars), "maximum": max(dollars), "payers_information": payers})
        item = {"description": f"Service {n}", "code_information": [{"code": code, "type": "CPT"},
                                                                     {"code": str(100000 + n), "type": "CDM"}],
                "standard_charges": charges}
        text = ("" if first else ",\n") + json.dumps(item)
        first = False
        f.write(text)
        size += len(text)
        if size >= target:
            break
    f.write("\n]}\n")
    f.close()


def write_tall(out, target, rng, plan_list):
    f = open(out, "w")
    f.write('hospital_name,last_updated_on,version,hospital_location,hospital_address,license_number|NY,'
            '"To the best of its knowledge and belief, the hospital has included all applicable standard charge '
            'information in accordance with the requirements of 45 CFR 180.50 for all items and services listed '
            'in this file."\n')
    f.write('Bench General Hospital,2026-01-01,2.0.0,Bench General,"1 Bench Way, Town, ST 00000",1,true\n')
    f.write("description,code|1,code|1|type,code|2,code|2|type,modifiers,setting,drug_unit_of_measurement,"
            "drug_type_of_measurement,standard_charge|gross,standard_charge|discounted_cash,payer_name,plan_name,"
            "standard_charge|negotiated_dollar,standard_charge|negotiated_percentage,"
            "standard_charge|negotiated_algorithm,estimated_amount,standard_charge|methodology,standard_charge|min,"
            "standard_charge|max,additional_generic_notes\n")
    size = 0
    for n, code, base, settings, pl in items(rng, plan_list):
        rows = []
        for s in settings:
            for payer, plan in pl:
                r = rng.random()
                dollar = pct = est = algo = ""
                if r < 0.8:
                    dollar, method = f"{base * rng.uniform(0.3, 1.2):.2f}", METHODS[0]
                elif r < 0.95:
                    pct, est, method = str(rng.randint(30, 90)), f"{base * rng.uniform(0.3, 0.9):.2f}", METHODS[2]
                else:
                    algo, method = "Case rate per the contract's grouper", METHODS[1]
                rows.append(f'"Service {n}, all components",{code},CPT,{100000 + n},CDM,,{s},,,{base * 2:.2f},'
                            f'{base * 1.4:.2f},{payer},{plan},{dollar},{pct},{algo},{est},{method},'
                            f'{base * 0.3:.2f},{base * 1.2:.2f},\n')
        text = "".join(rows)
        f.write(text)
        size += len(text)
        if size >= target:
            break
    f.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shape", choices=["json", "tall"])
    ap.add_argument("out")
    ap.add_argument("megabytes", type=float)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--plans", type=int, default=60)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pl = plans(a.plans, rng)
    target = int(a.megabytes * 1024 * 1024)
    (write_json if a.shape == "json" else write_tall)(a.out, target, rng, pl)


if __name__ == "__main__":
    main()
