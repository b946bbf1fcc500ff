"""Fit the relevance model's weights on annotated documents and store them as data.

    python -m mxwatch.pipelines.relevance_fit            # demo site, development set (when present), WRITTEN
    python -m mxwatch.pipelines.relevance_fit --dry-run  # print the fit, write nothing

A logistic regression (numpy, Newton's method, L2 penalty on every weight but the bias) over the signals of
:func:`mxwatch.pipelines.relevance.relevance_features`, trained on the demo site's gold and the development set
``eval/dev_set.jsonl``. The held-out set is never read. The weights go to ``patterns/relevance_weights.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import numpy as np

from mxwatch.pipelines.relevance import FEATURES, WEIGHTS_FILE, score_features

L2 = 0.15  # penalty per weight; the sets are small (dozens of documents)

# Hand-written examples of the hard cases, so that each kind of negative is represented in the fit:
# (lang, title, text, relevant).
WRITTEN = [
    ("en", "Brewer to build $700 million plant in Yucatán",
     "Cervecería del Golfo will build a brewery in Hunucmá, Yucatán, investing $700 million and creating 1,200 "
     "jobs, the state government said. The plant will produce beer for export to the United States and "
     "expand the company's distribution network in the south-east.", False),
    ("es", "Autopartes Lerma abrirá planta en Silao con 800 empleos",
     "La fabricante de autopartes Lerma Components invertirá 90 millones de dólares en una nueva planta en Silao, "
     "Guanajuato, donde contratará a 800 trabajadores para producir arneses y asientos para armadoras de la "
     "región. La empresa ampliará también su centro de distribución en Celaya.", False),
    ("en", "Resort chain opens 500-room hotel in Los Cabos",
     "Playa Azul Resorts opened a 500-room hotel in Los Cabos, Baja California Sur, hiring 600 workers as "
     "tourism in the state keeps growing. The company plans two more resorts in Quintana Roo.", False),
    ("es", "Cadena de supermercados contratará 3 mil personas en temporada navideña",
     "La cadena de supermercados y tiendas de autoservicio Merkado contratará a 3 mil personas en Jalisco y "
     "Nuevo León para la temporada navideña, informó la empresa. Las vacantes son para cajeros y almacén.", False),
    ("en", "Software firm opens Bogotá hub, will hire 300 engineers in Colombia",
     "Cloudline, a U.S. software company, opened an engineering hub in Bogotá and will hire 300 engineers in "
     "Colombia over two years. The company also considered Mexico and Brazil before choosing Colombia, "
     "its chief executive said in Bogotá.", False),
    ("es", "Empresa de chips invertirá en Texas; descarta México",
     "La surcoreana Daehan Chips construirá una planta de semiconductores en Austin, Texas, con 2 mil empleos. "
     "La compañía evaluó también opciones en México, pero eligió Estados Unidos por los incentivos federales.",
     False),
    ("en", "Judge fines Google in Mexico over search results",
     "A Mexico City judge fined Google 5 million pesos in a defamation case brought by a lawyer, the court said. "
     "The company said it would appeal the ruling in Mexico's courts.", False),
    ("es", "Frente frío traerá lluvias a Chihuahua y Sonora",
     "El frente frío número 12 provocará lluvias y heladas en Chihuahua, Sonora y Durango, informó el Servicio "
     "Meteorológico Nacional. Protección Civil pidió a la población abrigarse.", False),
    ("es", "IMSS: se crearon 120 mil empleos formales en marzo",
     "El IMSS informó que en marzo se crearon 120 mil empleos formales en el país, con lo que el registro "
     "llegó a 22 millones de puestos de trabajo. Jalisco y Nuevo León encabezaron la generación de empleo.",
     False),
    ("en", "Data-centre operator to build campus in Querétaro, hire 400",
     "Vertice Data Centers will build a data centre campus in Colón, Querétaro, investing $1 billion and hiring "
     "400 engineers and technicians, the company said. The cloud capacity will serve banks and retailers.", True),
    ("es", "Firma india de TI abrirá centro de desarrollo en Mérida con 250 ingenieros",
     "La firma india de servicios de TI Kaveri Systems abrirá un centro de desarrollo de software en Mérida, "
     "Yucatán, donde contratará a 250 ingenieros en los próximos dos años, informó la empresa.", True),
    ("en", "Electronics maker expands Tijuana plant, adding 1,000 jobs",
     "Contract electronics manufacturer Pacifica EMS will expand its Tijuana plant to assemble servers and "
     "medical devices, adding 1,000 jobs, the company said.", True),
    ("es", "Fintech brasileña abre oficinas en Monterrey",
     "La fintech brasileña PagoJá abrió oficinas en Monterrey, Nuevo León, y contratará a 120 desarrolladores "
     "para su plataforma de pagos en México, dijo su director.", True),
    ("en", "", "Cloud provider Nimbus will open a data centre in Guadalajara that will employ 150 engineers.", True),
    ("es", "", "Stefanini anunció que contratará a 300 desarrolladores en su nueva oficina de Morelia.", True),
    ("en", "", "Sanmina already employs 5,000 workers at its electronics plants in Guadalajara.", True),
    ("es", "", "La cervecera abrirá una planta en Mérida con 400 empleos.", False),
    ("en", "", "A cold front will bring snow to the mountains of Chihuahua and Durango this week.", False),
    ("es", "", "La policía detuvo a cinco personas por el robo de un camión con computadoras en Puebla.", False),
]


def training_documents(sets: Sequence[str]) -> list[tuple[str, object, bool]]:
    """(id, ArticleInput, gold relevant) for the chosen development sets ("demo", "dev")."""
    from mxwatch.evaluation import DEV_SET, demo_site_documents, eval_set_documents

    docs = []
    if "demo" in sets:
        docs += demo_site_documents()
    if "dev" in sets and DEV_SET.is_file():
        docs += eval_set_documents(DEV_SET)
    return [(doc_id, article, bool(gold["relevant"])) for doc_id, _, article, gold in docs]


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 50) -> np.ndarray:
    """Weights (bias first) of an L2-penalised logistic regression, by Newton's method."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb.T * (p * (1 - p))) @ xb + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mxwatch.pipelines.relevance_fit", description=__doc__)
    parser.add_argument("--sets", default="demo,dev,written",
                        help="comma-separated: demo, dev, written (never the held-out set)")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--dry-run", action="store_true", help="print the weights without writing them")
    args = parser.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    if "eval" in sets:
        print("error: the held-out set is never used for fitting", file=sys.stderr)
        return 2
    from mxwatch.pipelines.analysis import Analyzer, ArticleInput

    docs = training_documents(sets)
    if "written" in sets:
        docs += [(f"written-{i}", ArticleInput(text=text, title=title or None, lang=lang), rel)
                 for i, (lang, title, text, rel) in enumerate(WRITTEN)]
    feats = list(Analyzer().relevance_features_many(a for _, a, _ in docs))
    x = np.array([[f[name] for name in FEATURES] for f in feats])
    y = np.array([1.0 if rel else 0.0 for _, _, rel in docs])
    w = fit(x, y, args.l2)
    weights = {"bias": round(float(w[0]), 4), **{n: round(float(v), 4) for n, v in zip(FEATURES, w[1:], strict=True)}}
    wrong = []
    for (doc_id, _, rel), f in zip(docs, feats, strict=True):
        p = score_features(f, weights)
        if (p >= 0.5) != rel:
            wrong.append(f"{doc_id} gold={rel} p={p:.3f}")
    print(json.dumps(weights, indent=1))
    print(f"{len(docs)} documents ({int(y.sum())} relevant), {len(wrong)} wrong on the training data")
    for line in wrong:
        print("  " + line)
    if not args.dry_run:
        record = {**weights, "_fitted_on": sets, "_documents": len(docs), "_l2": args.l2}
        WEIGHTS_FILE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
