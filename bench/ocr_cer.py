#!/usr/bin/env python3
"""Character error rate of OCR output against a truth text.

usage: ocr_cer.py TRUTH.txt OCR.txt
CER = Levenshtein distance between the whitespace-normalised texts / truth length, in
percent. Order-sensitive (a column read in the wrong order costs).
"""
import sys


def normalise(text):
    return " ".join(text.split())


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


def main():
    truth = normalise(open(sys.argv[1], encoding="utf-8").read())
    ocr = normalise(open(sys.argv[2], encoding="utf-8", errors="replace").read())
    print(f"{100.0 * levenshtein(truth, ocr) / max(1, len(truth)):.2f}")


if __name__ == "__main__":
    main()
