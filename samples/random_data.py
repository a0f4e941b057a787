"""Word lists for samples/random_bills.py: real billing codes, invented people and places.

The CPT, HCPCS and UB-04 revenue codes are real (so the audit and pricing stages have true codes
to look up); the descriptions are the short plain wordings bills print, not the licensed CPT
descriptors. Every name, street, town, insurer and collector is invented, and every phone
number is a 555-01xx number. Standard library only.
"""

# (revenue code, CPT/HCPCS code or None, description, low, high price in dollars)
HOSPITAL = [
    ("0450", "99283", "EMERGENCY DEPT VISIT LEVEL 3", 900, 1800),
    ("0450", "99284", "EMERGENCY DEPT VISIT LEVEL 4", 1600, 3200),
    ("0450", "99285", "EMERGENCY DEPT VISIT LEVEL 5", 2600, 4800),
    ("0300", "36415", "VENIPUNCTURE ROUTINE", 18, 60),
    ("0301", "80053", "COMPREHENSIVE METABOLIC PANEL", 150, 420),
    ("0301", "80048", "BASIC METABOLIC PANEL", 110, 260),
    ("0300", "85025", "CBC W/AUTO DIFF WBC", 90, 240),
    ("0301", "84484", "TROPONIN QUANTITATIVE", 160, 390),
    ("0300", "85610", "PROTHROMBIN TIME", 45, 120),
    ("0300", "85730", "THROMBOPLASTIN TIME PARTIAL", 60, 150),
    ("0301", "83690", "LIPASE", 80, 190),
    ("0300", "81001", "URINALYSIS AUTO W/SCOPE", 40, 110),
    ("0306", "87086", "URINE CULTURE COLONY COUNT", 70, 160),
    ("0302", "87040", "BLOOD CULTURE BACTERIA", 110, 240),
    ("0301", "83605", "LACTATE (LACTIC ACID)", 70, 180),
    ("0350", "74177", "CT ABD & PELVIS W/CONTRAST", 2800, 6400),
    ("0350", "70450", "CT HEAD/BRAIN W/O CONTRAST", 1700, 4200),
    ("0320", "71046", "XR CHEST 2 VIEWS", 280, 720),
    ("0320", "73610", "XR ANKLE COMPLETE 3+ VIEWS", 260, 640),
    ("0402", "76705", "US ABDOMEN LIMITED", 560, 1300),
    ("0610", "70553", "MRI BRAIN W/O & W/DYE", 3900, 7800),
    ("0730", "93005", "ECG TRACING ONLY", 180, 450),
    ("0260", "96374", "IV PUSH SINGLE/INITIAL DRUG", 300, 700),
    ("0260", "96375", "IV PUSH EACH ADDL SEQUENTIAL", 120, 300),
    ("0260", "96360", "IV HYDRATION INITIAL HOUR", 420, 900),
    ("0260", "96361", "IV HYDRATION EACH ADDL HOUR", 130, 320),
    ("0410", "94760", "PULSE OXIMETRY SINGLE", 50, 130),
    ("0412", "94640", "AIRWAY INHALATION TREATMENT", 110, 280),
    ("0636", "J2405", "ONDANSETRON HCL INJ PER 1 MG", 12, 40),
    ("0636", "J1885", "KETOROLAC TROMETHAMINE INJ 15 MG", 18, 55),
    ("0636", "J2270", "MORPHINE SULFATE INJ UP TO 10 MG", 25, 70),
    ("0636", "J0696", "CEFTRIAXONE SODIUM INJ 250 MG", 30, 90),
    ("0636", "J1100", "DEXAMETHASONE SODIUM PHOS 1 MG", 8, 30),
    ("0258", "J7030", "NORMAL SALINE SOLUTION 1000 CC", 60, 160),
    ("0762", "G0378", "HOSPITAL OBSERVATION PER HR", 70, 160),
    ("0250", None, "PHARMACY GENERAL", 20, 90),
    ("0270", None, "MED-SURG SUPPLIES", 60, 300),
    ("0272", None, "STERILE SUPPLY IV START KIT", 35, 110),
    ("0710", None, "RECOVERY ROOM", 900, 2400),
    ("0360", "29881", "ARTHROSCOPY KNEE W/MENISCECTOMY", 6200, 14000),
    ("0370", None, "ANESTHESIA GENERAL", 1200, 3800),
    ("0110", None, "ROOM & BOARD PRIVATE MED/SURG", 2200, 4600),
    ("0120", None, "ROOM & BOARD SEMI-PRIVATE", 1900, 3900),
]

# (CPT/HCPCS code, description, low, high price in dollars) for office, lab, imaging and therapy.
OFFICE = [
    ("99202", "Office visit new pt straightforward", 110, 190),
    ("99203", "Office visit new pt low complexity", 160, 280),
    ("99204", "Office visit new pt moderate", 250, 420),
    ("99212", "Office visit est pt straightforward", 80, 150),
    ("99213", "Office visit est pt low complexity", 120, 240),
    ("99214", "Office visit est pt moderate", 180, 350),
    ("99215", "Office visit est pt high complexity", 260, 480),
    ("99395", "Preventive visit est pt 18-39", 220, 380),
    ("99396", "Preventive visit est pt 40-64", 240, 420),
    ("20610", "Arthrocentesis major joint", 220, 420),
    ("69210", "Removal impacted cerumen", 80, 160),
    ("11102", "Tangential biopsy of skin single", 140, 280),
    ("17110", "Destruction benign lesions up to 14", 130, 260),
    ("93000", "Electrocardiogram complete", 50, 120),
    ("90471", "Immunization administration", 25, 50),
    ("90686", "Flu vaccine quadrivalent pf", 30, 60),
    ("90715", "Tdap vaccine 7 yrs or older", 60, 110),
    ("96372", "Therapeutic injection sc/im", 30, 80),
    ("J1030", "Methylprednisolone acetate 40 mg", 15, 45),
    ("J3301", "Triamcinolone acetonide 10 mg", 8, 30),
    ("81002", "Urinalysis non-auto w/o scope", 15, 35),
    ("87880", "Rapid strep test", 30, 70),
    ("87804", "Influenza assay w/optic", 35, 75),
    ("G0438", "Annual wellness visit initial", 170, 260),
]
LAB = [
    ("80048", "Basic metabolic panel", 40, 110),
    ("80053", "Comprehensive metabolic panel", 60, 160),
    ("80061", "Lipid panel", 50, 130),
    ("83036", "Hemoglobin A1C", 35, 95),
    ("84443", "Thyroid stimulating hormone", 60, 140),
    ("84153", "PSA total", 50, 120),
    ("85025", "CBC with differential", 30, 85),
    ("82306", "Vitamin D 25 hydroxy", 90, 200),
    ("82728", "Ferritin", 45, 110),
    ("84439", "Free thyroxine (T4)", 45, 100),
    ("87086", "Urine culture colony count", 35, 90),
    ("36415", "Routine venipuncture", 12, 35),
    ("87491", "Chlamydia amplified probe", 90, 200),
    ("86803", "Hepatitis C antibody", 45, 110),
]
IMAGING = [
    ("71046", "X-ray chest 2 views", 120, 320),
    ("73030", "X-ray shoulder 2+ views", 130, 300),
    ("72100", "X-ray lumbar spine 2-3 views", 140, 330),
    ("77067", "Screening mammography bilateral", 250, 520),
    ("76700", "Ultrasound abdomen complete", 380, 820),
    ("76856", "Ultrasound pelvis complete", 340, 760),
    ("72148", "MRI lumbar spine w/o contrast", 1400, 3200),
    ("73721", "MRI lower extremity joint w/o dye", 1300, 3000),
    ("74176", "CT abdomen & pelvis w/o contrast", 1100, 2900),
    ("70450", "CT head w/o contrast", 800, 2100),
]
THERAPY = [
    ("97161", "PT evaluation low complexity", 140, 260),
    ("97110", "Therapeutic exercises each 15 min", 45, 95),
    ("97140", "Manual therapy each 15 min", 45, 95),
    ("97530", "Therapeutic activities each 15 min", 50, 100),
    ("97112", "Neuromuscular reeducation 15 min", 50, 100),
    ("97014", "Electrical stimulation unattended", 25, 60),
    ("G0283", "Electrical stim other than wound", 25, 60),
]

# Modifiers that fit the codes above.
MODIFIERS = {"99213": ["25"], "99214": ["25"], "99215": ["25"], "99284": ["25"],
             "99285": ["25"], "20610": ["RT", "LT"], "73030": ["RT", "LT"],
             "73721": ["RT", "LT"], "73610": ["RT", "LT"], "97140": ["GP"], "97110": ["GP"],
             "97530": ["GP"], "29881": ["RT", "LT"]}

FIRST = ["Morgan", "Avery", "Jamie", "Leslie", "Rowan", "Casey", "Dana", "Jordan", "Riley",
         "Quinn", "Harper", "Emerson", "Sage", "Marisol", "Teodoro", "Anjali", "Keiko", "Tobias",
         "Ingrid", "Desmond", "Priya", "Omar", "Lucia", "Wen", "Beatriz", "Callum", "Nadia",
         "Ezra", "Fiona", "Gideon", "Hollis", "Imani", "Jasper", "Kalani", "Linnea", "Mateo"]
MIDDLE = "ABCDEFGHJKLMNPRSTW"
LAST = ["Ellery", "Quinlan", "Halvorsen", "Tranh", "Castellanos", "Morrow", "Whitcombe",
        "Okonkwo", "Vasquez-Lind", "Abernethy", "Pemberton", "Szymanski", "Oyelaran",
        "Delacroix", "Fairbanks", "Gundersen", "Hargrove", "Iwasaki", "Jankowski", "Kowalczyk",
        "Lindqvist", "Mbeki", "Nakashima", "O'Rourke", "Prendergast", "Ravensworth", "Sorensen",
        "Thibodeaux", "Umberger", "Valdivia", "Wetherby", "Yardley", "Zielinski", "Achebe"]

PLACE = ["Larkspur", "Cedar Hollow", "Brookstone", "Hartwell", "Oakmere", "Summit Crest",
         "Pinecrest", "Keystone Ridge", "Willowmere", "Amberfield", "Bramblewood", "Copperleaf",
         "Driftwood", "Elmsworth", "Foxglove", "Granite Bay", "Heronwood", "Ironbridge",
         "Juniper Falls", "Kestrel Point", "Lanternfield", "Marrowstone", "Northgate",
         "Orchard Lake", "Quarry Bend", "Ravenscroft", "Silverbrook", "Thistledown",
         "Umber Valley", "Vinewood", "Westhaven", "Yarrow Glen", "Alder Crossing", "Bellmont"]
HOSPITAL_KIND = ["Regional Hospital", "Medical Center", "Community Hospital",
                 "Regional Medical Center", "General Hospital", "Memorial Hospital",
                 "Health System", "University Hospital", "Valley Hospital"]
CLINIC_KIND = ["Family Medicine, PC", "Internal Medicine Associates", "Medical Group",
               "Orthopedic Specialists", "Primary Care", "Pediatrics, LLC",
               "Dermatology Associates", "Urgent Care", "Physicians Group", "Health Partners"]
LAB_KIND = ["Diagnostic Laboratory", "Clinical Laboratories", "Imaging Center",
            "Radiology Associates", "Diagnostic Imaging & Laboratory", "Pathology Services"]
THERAPY_KIND = ["Physical Therapy", "Rehabilitation Center", "Sports & Spine Therapy"]
INSURER = ["Pinecrest Mutual Health Plan", "Buckeye Cooperative Health", "Northstar Prairie Health",
           "Tidewater Benefit Trust", "Granite State Assurance", "Bluewater Health Plan",
           "Sagebrush Life & Health", "Harborline Health Insurance Co.", "Meridian Oak Health"]
COLLECTOR = ["Keystone Ridge Recovery Services, LLC", "Amberfield Credit Bureau, Inc.",
             "Stonegate Receivables Management", "Harrow & Finch Collections, LLC",
             "Tri-County Adjustment Bureau", "Northpoint Revenue Solutions, Inc."]
DEBT_BUYER = ["Crestline Receivables Fund LLC", "Bluefield Portfolio Holdings, LLC",
              "Sable Point Capital Recovery LLC"]
EMPLOYER = ["ASHGROVE LOGISTICS", "MERIDIAN TOOL & DIE", "LAKESHORE SCHOOL DISTRICT",
            "COPPERLEAF FOODS", "HARBOR CITY TRANSIT", "VINEWOOD SOFTWARE"]
STREET = ["Quarry Bend Road", "Millrace Avenue", "Alder Crossing", "Foxglove Parkway",
          "Tamarind Row", "Juniper Court", "Sorrel Street", "Pinyon Ridge Road", "Kestrel Way",
          "Larch Hollow Lane", "Bramblewood Trail", "Wrenfield Drive", "Copperleaf Commons",
          "Heron Lake Blvd", "Orchard Hill Drive", "Lantern Street", "Granite Way", "Elm Row"]
TOWN = [("Harlow Springs", "OH", "43"), ("Tamsin", "MN", "55"), ("Fenwick", "CO", "80"),
        ("Ashby Mills", "VA", "22"), ("Brennan Falls", "WI", "53"), ("Lowell Bay", "NC", "28"),
        ("Marlow Heights", "PA", "17"), ("Dunmore Heights", "PA", "18"),
        ("Caldera Point", "AZ", "85"), ("Stillwater Cove", "OR", "97"), ("Pelham Ridge", "GA", "30"),
        ("Sutter Glen", "CA", "95"), ("Redfern", "TX", "75"), ("Oxbow", "NE", "68"),
        ("Cobalt Falls", "NY", "12"), ("Winslow Park", "IL", "60")]
AREA = ["614", "507", "719", "540", "608", "910", "717", "602", "503", "404", "916", "214",
        "402", "518", "312", "813"]
