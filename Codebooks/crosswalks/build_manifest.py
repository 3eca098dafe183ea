#!/usr/bin/env python3
"""Builds Codebooks/crosswalks from the ONS-derived CSVs of fixtures/harmonise and writes manifest.json.

Run from this folder: python3 build_manifest.py [SOURCE_DIR] (default ../../../shared/fixtures/harmonise).
Copies the CSVs byte-for-byte, derives qualification_levels_long.csv from uk_qualifications_to_levels.csv,
and records every file's sha256. The Swift loader verifies each checksum before use."""
import csv, hashlib, json, os, re, shutil, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else '../../../shared/fixtures/harmonise'
COPY = ['soc2020_structure.csv', 'soc2010_structure.csv', 'isco08_structure.csv',
        'soc2010_to_soc2020_ons_relationship_long.csv', 'soc2010_to_soc2020_ons_index.csv',
        'soc2000_to_soc2020_ons_index.csv', 'soc90_to_soc2020_ons_index.csv',
        'soc2000_to_soc2010_ons_table1b_long.csv', 'soc2020_to_isco08_ons_index.csv',
        'nssec_soc2010_derivation_long.csv', 'nssec_soc2010_simplified.csv', 'nssec_categories.csv',
        'nssec_employment_status.csv', 'uk_qualification_frameworks_alignment.csv',
        'uk_qualifications_to_levels.csv', 'lfs_highest_qualification_codes.csv', 'lfs_variables_reference.csv']
for f in COPY:
    shutil.copyfile(os.path.join(SRC, f), f)

# Qualification codes: one stable key per row of uk_qualifications_to_levels.csv, in row order, with the
# nations it belongs to (E England, W Wales, S Scotland, N Northern Ireland).
KEYS = [('DOCTORATE', 'EWSN'), ('MASTERS', 'EWSN'), ('PGCE_PGDE', 'EWSN'), ('BACHELOR_HONS', 'EWSN'),
        ('BACHELOR_ORDINARY', 'EWSN'), ('GRADUATE_DIPLOMA', 'EWSN'), ('FOUNDATION_DEGREE', 'EWN'),
        ('HND_DIPHE', 'EWSN'), ('HNC_CERTHE', 'EWSN'), ('NVQ4', 'EWSN'), ('ADVANCED_HIGHER', 'S'),
        ('CSYS', 'S'), ('HIGHER', 'S'), ('A_LEVEL', 'EWN'), ('WELSH_BACC_ADVANCED', 'W'),
        ('BTEC_NATIONAL_L3', 'EWN'), ('SVQ3', 'S'), ('GCSE_9_4', 'EWN'), ('NATIONAL_5', 'S'),
        ('WELSH_BACC_NATIONAL', 'W'), ('BTEC_FIRST_L2', 'EWSN'), ('GCSE_3_1', 'EWN'), ('NATIONAL_4', 'S'),
        ('WELSH_BACC_FOUNDATION', 'W'), ('NVQ1', 'EWSN'), ('ENTRY_LEVEL', 'EWSN'), ('FOREIGN_UNKNOWN', 'EWSN'),
        ('NO_QUALIFICATION', 'EWSN')]
rows = list(csv.DictReader(open('uk_qualifications_to_levels.csv', newline='', encoding='utf-8')))
assert len(rows) == len(KEYS)
# Legacy CSYS on the same basis as its successor Advanced Higher (issue 24): survey RQF 3, framework RQF 4.
rows[[k for k, _ in KEYS].index('CSYS')]['rqf_equivalent'] = '3 or 4 (framework-dependent; as Advanced Higher)'
# Keys added for LFS/APS categories (curated here, not in fixtures/harmonise): same columns plus code and nations.
extra = list(csv.DictReader(open('uk_qualifications_additional.csv', newline='', encoding='utf-8')))
KEYS += [(r['code'], r['nations']) for r in extra]
rows += extra
# Stated shares of the keys whose level is spread over several values ('2|3' in the table).
SHARES = {}
for r in csv.DictReader(open('qualification_level_shares.csv', newline='', encoding='utf-8')):
    SHARES[(r['code'], r['scale'], r['value'])] = (r['share'], r['confidence'])

def values(raw, scale, key=''):
    """(value, basis, confidence, share) links for one cell; basis 'both' unless the cell names alternatives;
    share '' unless the cell spreads the qualification over several values ('2|3', shares from SHARES)."""
    raw = raw.strip()
    if raw in ('', 'unknown', 'n/a'):
        return []
    if '|' in raw:
        parts = [re.sub(r' - verify$', '', p.strip(), flags=re.I) for p in raw.split('|')]
        out = [(p, 'both', SHARES[(key, scale, p)][1], SHARES[(key, scale, p)][0]) for p in parts]
        assert abs(sum(float(x[3]) for x in out) - 1) < 1e-9, (key, scale)
        return out
    return [v + ('',) for v in values1(raw, scale)]

def values1(raw, scale):
    verify = 'VERIFY' in raw.upper()
    if scale == 'RQF' and raw.startswith('3 or 4'):
        return [('3', 'survey', 'medium'), ('4', 'framework', 'medium')]
    if scale == 'HIQUL22D':
        m = re.match(r'(\d)', raw)
        return [(m.group(1), 'survey', 'verify' if 'verify' in raw.lower() else 'high')]
    if scale == 'ISCED2011':
        if raw == 'as GCSE':
            return [('3', 'both', 'verify')]
        m = re.match(r'(\d(?:-\d)?)', raw)
        return [(m.group(1), 'both', 'verify' if verify or ' or ' in raw or '(' in raw else 'high')]
    if scale == 'NVQ' and raw == 'below NVQ1':
        return [('NVQ0', 'both', 'high')]
    if scale == 'EQF' and raw.startswith('1 (E3'):
        return [('1', 'both', 'medium')]
    if scale == 'SCQF' and raw == '~7':
        return [('7', 'both', 'low')]
    return [(raw, 'both', 'verify' if verify else 'high')]

out = [['code', 'nations', 'qualification', 'framework', 'framework_level', 'scale', 'value', 'basis', 'confidence', 'share']]
for (key, nations), r in zip(KEYS, rows):
    cols = {'RQF': r['rqf_equivalent'], 'SCQF': r['scqf_equivalent'], 'EQF': r['eqf'], 'NVQ': r['nvq_equivalent'],
            'HIQUL22D': r['lfs_hiqul22d_band'], 'ISCED2011': r['isced2011_level']}
    for scale, raw in cols.items():
        links = values(raw, scale, key)
        if not links:
            out.append([key, nations, r['qualification'], r['framework'], r['framework_level'], scale, '', 'none', 'unmapped', ''])
        for v, basis, conf, share in links:
            if conf == 'high' and r['isced2011_confidence'] == 'low' and scale == 'ISCED2011':
                conf = 'verify'
            out.append([key, nations, r['qualification'], r['framework'], r['framework_level'], scale, v, basis, conf, share])
with open('qualification_levels_long.csv', 'w', newline='', encoding='utf-8') as fh:
    csv.writer(fh, lineterminator='\n').writerows(out)


# LFS derived bands and levels -> RQF / CQFW / SCQF level ranges, one block per variable and scale. HIQUL11D,
# HIQUL15D and HIQUL22D share the 1-7 frame (lfs_highest_qualification_codes.csv); LEVQUL22 codes are inferred.
OTHER = [('2', '5', '0.10'), ('1', '4', '0.35'), ('E1-E3', '1-3', '0.55')]  # 'other': shares as OTHER_QUALIFICATION
BANDS = [('1', 'Degree or equivalent', [('6-8', '9-12', '1')]), ('2', 'Higher education', [('4-5', '7-8', '1')]),
         ('3', 'GCE A level or equivalent', [('3', '6-7', '1')]), ('4', 'GCSE grades A*-C or equivalent', [('2', '5', '1')]),
         ('5', 'Other qualification', OTHER), ('6', 'No qualification', [('none', 'none', '1')])]
LEVQUL = [(str(i), 'Level %d' % (9 - i), [(str(9 - i), {8: '12', 7: '11', 6: '9-10', 5: '8', 4: '7', 3: '6', 2: '5', 1: '4'}[9 - i], '1')])
          for i in range(1, 9)]
LEVQUL += [('9', 'Entry level', [('E1-E3', '1-3', '1')]), ('10', 'Other qualification - level unknown', OTHER),
           ('11', 'No qualifications', [('none', 'none', '1')])]
band_rows = [['variable', 'code', 'label', 'scale', 'level', 'share', 'basis']]
for variable, frame in [('HIQUL22D', BANDS), ('HIQUL15D', BANDS), ('HIQUL11D', BANDS), ('LEVQUL22', LEVQUL)]:
    for scale in ('RQF', 'CQFW', 'SCQF'):
        for code, label, targets in frame:
            for rqf, scqf, share in targets:
                basis = 'stated share (convention, verify)' if share != '1' else ('level range of the band' if '-' in rqf and variable != 'LEVQUL22' else 'one level')
                band_rows.append([variable, code, label, scale, scqf if scale == 'SCQF' else rqf, share, basis])
with open('lfs_qualification_bands.csv', 'w', newline='', encoding='utf-8') as fh:
    csv.writer(fh, lineterminator='\n').writerows(band_rows)
# SOC2000 -> SOC2010 forward shares that weigh each Table 1b percentage by the size of its SOC2010 group.
# Table 1b gives, per sex and source, the share of each SOC2010 unit group t coded to SOC2000 s: pct(s,t). The
# estimated number in the cell is pct(s,t)/100 * N(t), N(t) = the ONS dual-coded base of t for that sex and source
# (SOC2010->SOC2020 relationship table: LFS and Census 2011 bases). Shares of s going to t are these counts over
# their sum within s; pooled bases add the counts of both sexes (and of both sources). Table 1b's LFS Jan-Mar 2007
# percentages take the LFS bases, its Census 2001 percentages the Census 2011 bases; LFS 1996/97 is not used.
def soc2000_sized():
    base = {}
    for r in csv.DictReader(open('soc2010_to_soc2020_ons_relationship_long.csv', newline='', encoding='utf-8')):
        base[r['soc2010']] = {k: float(r[k + '_base_n'] or 0) for k in ('men_lfs', 'women_lfs', 'men_census', 'women_census')}
    pct_col = {'men_lfs': 'male_lfs_jm07_pct', 'women_lfs': 'female_lfs_jm07_pct',
               'men_census': 'male_census01_pct', 'women_census': 'female_census01_pct'}
    rows = list(csv.DictReader(open('soc2000_to_soc2010_ons_table1b_long.csv', newline='', encoding='utf-8')))
    for r in rows:
        for k, c in pct_col.items():
            r[k + '_n'] = float(r[c] or 0) / 100 * base[r['soc2010']][k]
    bases = {'lfs_men': ['men_lfs'], 'lfs_women': ['women_lfs'], 'lfs_pooled': ['men_lfs', 'women_lfs'],
             'census_men': ['men_census'], 'census_women': ['women_census'],
             'census_pooled': ['men_census', 'women_census'], 'pooled': list(pct_col)}
    totals = {}
    for r in rows:
        for b, ks in bases.items():
            totals[(r['soc2000'], b)] = totals.get((r['soc2000'], b), 0) + sum(r[k + '_n'] for k in ks)
    out = [['soc2000', 'soc2010'] + [k + '_n' for k in pct_col] + [b + '_share' for b in bases]]
    for r in rows:
        counts = ['%.4f' % r[k + '_n'] for k in pct_col]
        shares = []
        for b, ks in bases.items():
            t = totals[(r['soc2000'], b)]
            shares.append('%.6f' % (sum(r[k + '_n'] for k in ks) / t) if t > 0 else '')
        out.append([r['soc2000'], r['soc2010']] + counts + shares)
    with open('soc2000_to_soc2010_sized.csv', 'w', newline='', encoding='utf-8') as fh:
        csv.writer(fh, lineterminator='\n').writerows(out)
soc2000_sized()

files = sorted(f for f in os.listdir('.') if f.endswith('.csv'))
sha = {f: hashlib.sha256(open(f, 'rb').read()).hexdigest() for f in files}
ONS = 'Office for National Statistics'
OGL = 'OGL-3.0'
def entry(**kw):
    kw['sha256'] = sha[kw['file']]
    kw.setdefault('licence', OGL)
    return kw
manifest = {'format': 1, 'note': 'Rebuilt by build_manifest.py; provenance in PROVENANCE.txt. Codes are strings.', 'entries': [
    entry(name='SOC2020', kind='codeframe', file='soc2020_structure.csv', scheme='SOC2020', issued='2025-04-16',
          source=ONS + ' SOC 2020 Volume 1 (16 Apr 2025 issue), SOC2020 Framework sheet'),
    entry(name='SOC2010', kind='codeframe', file='soc2010_structure.csv', scheme='SOC2010', issued='2010',
          source='ONS SOC 2010 structure via Colectica/soc2010-ddi commit 5d7e7ebf (DDI 3.2 rendering)'),
    entry(name='ISCO-08', kind='codeframe', file='isco08_structure.csv', scheme='ISCO08', issued='2025-04-16',
          source='ILO ISCO-08 structure from the ONS SOC 2020 Volume 2 coding index v12, ISCO-08 framework sheet'),
    entry(name='soc2010-soc2020', kind='crosswalk', file='soc2010_to_soc2020_ons_relationship_long.csv',
          **{'from': 'SOC2010', 'to': 'SOC2020'}, fromColumn='soc2010', toColumn='soc2020',
          weights={'lfs_men': 'men_lfs_prop', 'census_men': 'men_census_prop', 'lfs_women': 'women_lfs_prop',
                   'census_women': 'women_census_prop', 'pooled': 'pooled_prop'},
          defaultBasis='pooled', countColumn='pooled_n', sexBases={'male': 'lfs_men', 'female': 'lfs_women'},
          check={'groupBy': 'from', 'total': 1, 'tolerance': 0.06, 'allowEmpty': True},
          issued='2020', linkLevel='unit group, dual-coded records',
          source=ONS + ' SOC2010->SOC2020 dual-coding relationship table (LFS and Census 2011 by sex), reformatted copy '
                 'vmaguirerajpaul/mathsci-econ-contrib commit 403b5b6f; pooled = sum of base*prop over the 4 sources'),
    entry(name='soc2000-soc2010', kind='crosswalk', file='soc2000_to_soc2010_sized.csv',
          **{'from': 'SOC2000', 'to': 'SOC2010'}, fromColumn='soc2000', toColumn='soc2010',
          weights={b: b + '_share' for b in ('lfs_men', 'lfs_women', 'lfs_pooled', 'census_men', 'census_women',
                                             'census_pooled', 'pooled')},
          defaultBasis='lfs_pooled', sexBases={'male': 'lfs_men', 'female': 'lfs_women'},
          check={'groupBy': 'from', 'total': 1, 'tolerance': 0.0001, 'allowEmpty': True},
          approximate=True, issued='2010',
          approxNote='Forward SOC2000->SOC2010 shares from Table 1b weighted by SOC2010 group size: cell count = '
                     'pct(SOC2000 in SOC2010 group) x the ONS dual-coded base of the SOC2010 group for that sex and source '
                     '(LFS JM07 pct x LFS base, Census 2001 pct x Census 2011 base), shares = counts over their sum within '
                     'the SOC2000 code; pooled bases add both sexes; Table 1b cells under 5% are suppressed (taken as 0) '
                     'and the bases come from the later SOC2010->SOC2020 dual coding, so this remains an approximation',
          linkLevel='unit group, dual-coded records',
          source=ONS + ' SOC2000->SOC2010 relationship Table 1b (Unit sheet) and SOC2010 group bases of the ONS '
                 'SOC2010->SOC2020 relationship table, via vmaguirerajpaul/mathsci-econ-contrib commit 403b5b6f; derived '
                 'by build_manifest.py'),
    entry(name='soc2000-soc2010-table1b', kind='crosswalk', file='soc2000_to_soc2010_ons_table1b_long.csv',
          **{'from': 'SOC2000', 'to': 'SOC2010'}, fromColumn='soc2000', toColumn='soc2010',
          weights={'lfs_men': 'male_lfs_jm07_pct', 'census_men': 'male_census01_pct', 'lfs9697_men': 'male_lfs96_97_pct',
                   'lfs_women': 'female_lfs_jm07_pct', 'census_women': 'female_census01_pct',
                   'lfs9697_women': 'female_lfs96_97_pct'},
          defaultBasis='lfs_men', sexBases={'male': 'lfs_men', 'female': 'lfs_women'},
          check={'groupBy': 'to', 'total': 100, 'tolerance': 0.5, 'allowEmpty': True, 'allowBelow': True},
          approximate=True, issued='2010',
          approxNote='Table 1b percentages are shares of each SOC2010 unit group by SOC2000 origin (they sum to 100 '
                     'per SOC2010 code), with cells under 5% suppressed; forward SOC2000->SOC2010 weights are these '
                     'shares renormalised within each SOC2000 code, an approximation',
          linkLevel='unit group, dual-coded records',
          source=ONS + ' SOC2000->SOC2010 relationship Table 1b (Unit sheet), via vmaguirerajpaul/mathsci-econ-contrib commit 403b5b6f'),
    entry(name='soc2010-soc2020-index', kind='crosswalk', file='soc2010_to_soc2020_ons_index.csv',
          **{'from': 'SOC2010', 'to': 'SOC2020'}, fromColumn='soc2010', toColumn='soc2020',
          weights={'index_entries': 'share_of_source_entries'}, defaultBasis='index_entries',
          check={'groupBy': 'from', 'total': 1, 'tolerance': 0.002}, issued='2025-04-16', linkLevel='coding-index entries',
          source=ONS + ' SOC 2020 Volume 2 coding index v12 (16 Apr 2025), entry counts'),
    entry(name='soc2000-soc2020-index', kind='crosswalk', file='soc2000_to_soc2020_ons_index.csv',
          **{'from': 'SOC2000', 'to': 'SOC2020'}, fromColumn='soc2000', toColumn='soc2020',
          weights={'index_entries': 'share_of_source_entries'}, defaultBasis='index_entries',
          check={'groupBy': 'from', 'total': 1, 'tolerance': 0.002}, issued='2025-04-16', linkLevel='coding-index entries',
          source=ONS + ' SOC 2020 Volume 2 coding index v12 (16 Apr 2025), entry counts'),
    entry(name='soc90-soc2020-index', kind='crosswalk', file='soc90_to_soc2020_ons_index.csv',
          **{'from': 'SOC90', 'to': 'SOC2020'}, fromColumn='soc90', toColumn='soc2020',
          weights={'index_entries': 'share_of_source_entries'}, defaultBasis='index_entries',
          check={'groupBy': 'from', 'total': 1, 'tolerance': 0.002}, issued='2025-04-16', linkLevel='coding-index entries',
          source=ONS + ' SOC 2020 Volume 2 coding index v12 (16 Apr 2025), entry counts; }}} see-references dropped'),
    entry(name='soc2020-isco08', kind='crosswalk', file='soc2020_to_isco08_ons_index.csv',
          **{'from': 'SOC2020', 'to': 'ISCO08'}, fromColumn='soc2020', toColumn='isco08',
          weights={'index_entries': 'share_of_source_entries'}, defaultBasis='index_entries',
          check={'groupBy': 'from', 'total': 1, 'tolerance': 0.002}, issued='2025-04-16', linkLevel='coding-index entries',
          source=ONS + " SOC 2020 Volume 2 coding index v12, column 'ISCO-08 code based on SOC2020', entry counts"),
    entry(name='nssec-soc2010', kind='nssec-derivation', file='nssec_soc2010_derivation_long.csv', scheme='SOC2010',
          official=True, issued='2013-01', source=ONS + ' NS-SEC based on SOC2010 derivation Tables 7-10, amended January 2013'),
    entry(name='nssec-soc2010-simplified', kind='nssec-simplified', file='nssec_soc2010_simplified.csv', scheme='SOC2010',
          official=True, issued='2013-01', source=ONS + ' NS-SEC based on SOC2010, simplified method column'),
    entry(name='nssec-classes', kind='nssec-classes', file='nssec_categories.csv', issued='2010',
          source='ONS NS-SEC user manual: operational categories L1-L17 and analytic 8/5/3-class collapses (curated)'),
    entry(name='nssec-status', kind='nssec-status', file='nssec_employment_status.csv', issued='2010',
          source='ONS NS-SEC full, reduced and simplified employment-status schemes (curated)'),
    entry(name='frameworks', kind='table', file='uk_qualification_frameworks_alignment.csv', issued='2023-08',
          source="'Qualifications can cross boundaries', 8th ed. Aug 2023 (QAA for the UK & Ireland Qualifications Frameworks group)"),
    entry(name='qualification-types', kind='table', file='uk_qualifications_to_levels.csv', issued='2023-08',
          source='Curated qualification-type table (fixtures/harmonise); confidence flagged; verify ISCED below level 3'),
    entry(name='qualification-levels', kind='qualification-levels', file='qualification_levels_long.csv', issued='2023-08',
          source='Derived by build_manifest.py from uk_qualifications_to_levels.csv: one row per qualification, scale and '
                 'value; basis framework (QCCB comparison) / survey (LFS convention) / both'),
    entry(name='lfs-qualification-codes', kind='table', file='lfs_highest_qualification_codes.csv', issued='2022',
          source='LFS HIQUL22D and LEVQUL22 code frames (curated; LEVQUL22 inferred)'),
    entry(name='nssec-status-input', kind='nssec-status-input', file='nssec_status_input.csv', issued='2026',
          source='Microdata input coding for --nssec method full: codes 1-7 are the ONS full-method statuses; 8 and 9 '
                 '(employer/manager, size not known) fall back to the ONS reduced method; missing falls back to simplified'),
    entry(name='nssec-status-codings', kind='nssec-status-codings', file='nssec_status_codings.csv', issued='2026-12',
          source='Employment-status codings for NS-SEC (STATUS@CODING): MICRODATA = nssec_status_input.csv; ONS-FULL and '
                 'ONS-REDUCED = the ONS full (1-7) and reduced (1-5) statuses as numbered in the ONS SOC2010 derivation '
                 'tables; LFS = LFS/APS INECAC05 (or STAT), MANAGER, MPNR02 and SOLOR code frames as in the LFS user guide '
                 'and published analysis code (curated, medium confidence: verify against your vintage; the label check '
                 'refuses a codebook whose labels differ)'),
    entry(name='nssec-status-rules', kind='nssec-status-rules', file='nssec_status_rules.csv', issued='2026-12',
          source='Full-method NS-SEC employment status from the LFS variables, following the ONS NS-SEC full method '
                 '(SOC2010 Volume 3: employer 25+ / 1-24 employees, own account, manager 25+ / 1-24 at the workplace, '
                 'supervisor, other employee; size unknown -> reduced method); curated'),
    entry(name='lfs-variables', kind='table', file='lfs_variables_reference.csv', issued='2026',
          source='LFS variable names and periods for SOC, NS-SEC, economic activity and qualifications (curated; confidence flagged)'),
    entry(name='qualification-additional', kind='table', file='uk_qualifications_additional.csv', issued='2026-12',
          source='Qualification keys added for LFS/APS categories (NVQ/SVQ 5, higher degree, apprenticeships, Scottish '
                 'Baccalaureate, Access to HE, IB, National 5 grade D, RQF level 1-8 awards; curated from the frameworks '
                 'and qualification descriptions cited in PROVENANCE.txt; confidence flagged)', licence='OGL-3.0'),
    entry(name='qualification-shares', kind='table', file='qualification_level_shares.csv', issued='2026-12',
          source='Stated shares of qualifications spread over several levels (trade apprenticeships, other qualifications: '
                 'DfE/ONS level-derivation convention, verify; higher apprenticeships and below-degree HE: equal-share '
                 'assumption)', licence='OGL-3.0'),
    entry(name='lfs-hiqual22-qual', kind='crosswalk', file='lfs_hiqual_labels.csv', **{'from': 'HIQUAL22', 'to': 'QUAL'}, fromColumn='label',
          toColumn='qual', keyedBy='label', issued='2026-12', linkLevel='LFS value label',
          source='LFS/APS HIQUAL22 value labels (as written in end-user files, collected from public analysis code; numeric codes differ by release and are read from the data codebook) to Microdata qualification keys'),
    entry(name='lfs-hiqual15-qual', kind='crosswalk', file='lfs_hiqual_labels.csv', **{'from': 'HIQUAL15', 'to': 'QUAL'}, fromColumn='label',
          toColumn='qual', keyedBy='label', issued='2026-12', linkLevel='LFS value label',
          source='LFS/APS HIQUAL15 value labels (as written in end-user files, collected from public analysis code; numeric codes differ by release and are read from the data codebook) to Microdata qualification keys'),
    entry(name='hiqul22d-rqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL22D', 'to': 'RQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL22D', 'scale': 'RQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL22D band or level to RQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul22d-cqfw', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL22D', 'to': 'CQFW'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL22D', 'scale': 'CQFW'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL22D band or level to CQFW level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul22d-scqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL22D', 'to': 'SCQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL22D', 'scale': 'SCQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL22D band or level to SCQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul15d-rqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL15D', 'to': 'RQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL15D', 'scale': 'RQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL15D band or level to RQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul15d-cqfw', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL15D', 'to': 'CQFW'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL15D', 'scale': 'CQFW'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL15D band or level to CQFW level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul15d-scqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL15D', 'to': 'SCQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL15D', 'scale': 'SCQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL15D band or level to SCQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul11d-rqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL11D', 'to': 'RQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL11D', 'scale': 'RQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL11D band or level to RQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul11d-cqfw', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL11D', 'to': 'CQFW'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL11D', 'scale': 'CQFW'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL11D band or level to CQFW level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='hiqul11d-scqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'HIQUL11D', 'to': 'SCQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'HIQUL11D', 'scale': 'SCQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='HIQUL11D band or level to SCQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='levqul22-rqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'LEVQUL22', 'to': 'RQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'LEVQUL22', 'scale': 'RQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='LEVQUL22 band or level to RQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='levqul22-cqfw', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'LEVQUL22', 'to': 'CQFW'},
          fromColumn='code', toColumn='level', filter={'variable': 'LEVQUL22', 'scale': 'CQFW'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='LEVQUL22 band or level to CQFW level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='levqul22-scqf', kind='crosswalk', file='lfs_qualification_bands.csv', **{'from': 'LEVQUL22', 'to': 'SCQF'},
          fromColumn='code', toColumn='level', filter={'variable': 'LEVQUL22', 'scale': 'SCQF'}, weights={'stated': 'share'},
          defaultBasis='stated', check={'groupBy': 'from', 'total': 1, 'tolerance': 0.001}, issued='2026-12',
          linkLevel='LFS derived band', source='LEVQUL22 band or level to SCQF level range (LFS User Guide Vol 3 band titles; '
          'level ranges from Qualifications can cross boundaries; band 5 / other spread with stated shares, verify)'),
    entry(name='nations', kind='nations', file='nation_codes.csv', issued='2024', licence=OGL,
          source='UK nations: letter codes and names (Microdata convention); ONS GSS country codes (E92000001, W92000004, S92000003, N92000002); code set LFS-COUNTRY = LFS/APS variable COUNTRY (1 England, 2 Wales, 3 Scotland, 4 Scotland north of the Caledonian Canal, 5 Northern Ireland), LFS/APS user guide coding as quoted in issue 24 (not re-checked against the guide here)'),
]}
json.dump(manifest, open('manifest.json', 'w'), indent=1)
open('manifest.json', 'a').write('\n')
print(len(files), 'files')
