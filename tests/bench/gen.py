#!/usr/bin/python3
"""Synthetic inputs for make bench: a nursery survey of N rows (default
1,000,000) in CP932 with CRLF, as Excel on Japanese Windows writes it, spread
over the 18 municipalities with a realistic skew (大分市 is the largest)."""
import random, sys
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
out = sys.argv[1]
codes = ['442011', '442020', '442038', '442046', '442054', '442062', '442071', '442089', '442097', '442101',
         '442119', '442127', '442135', '442143', '443221', '443417', '444618', '444626']
weights = [40, 12, 9, 7, 7, 4, 2, 2, 2, 3, 5, 3, 3, 3, 1, 3, 1, 2]
types = ['保育所', '幼保連携型認定こども園', '小規模保育事業所', '保育所型認定こども園', '家庭的保育事業']
rng = random.Random(1)
with open(out, 'w', encoding='cp932', newline='') as fp:
    fp.write('調査基準日,市町村コード,施設番号,施設名,施設種別,設置主体,統廃合予定,保護者連絡,登降園管理,計画・記録,キャッシュレス決済,その他,その他の内容\r\n')
    munis = rng.choices(codes, weights, k=n)
    for i in range(n):
        m = munis[i]
        ict = rng.random() < 0.8
        f = ['○' if ict and rng.random() < 0.6 else '' for _ in range(5)]
        if ict and not any(f):
            f[0] = '○'
        fp.write(f'2026-04-01,{m},F{i:07d},ひまわり第{i}保育園,{types[i % 5]},{"公立" if i % 3 == 0 else "私立"},,'
                 + ','.join(f) + (',"写真販売, シフト管理"' if f[4] else ',') + '\r\n')
