# ---
# jupyter:
#   description: "model.eval()、no_grad、inference_mode、凍結で、逆伝播のために保存するメモリと順伝播の速さがどれだけ変わるのかを実測した結果です。"
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 測定: モードごとのメモリと速度
#
# `model.eval()`・`torch.no_grad()`・`torch.inference_mode()`・凍結（`requires_grad=False`）によって、
# 逆伝播のために保存するメモリと順伝播の速度がどれだけ変わるのかを実測した結果です。
# 要約・図・表はすべて、このノートブックのコードセル（「コード」を開くと見えます）の出力で、本文には測定値を書いていません。
# 各スイッチが何を切り替えるかは、[トップページの比較表](../#comparison)にあります。
#
# 次の行に、下の図と表を作った実行の torch のバージョン、デバイス、測定した日時を示します。
# サイトのビルドでは、このノートブックを毎回は実行しません。いつ実行し直すかは[実行環境と再実行](#environment)にあります。

# %%
LANGUAGE = "ja"  # the page's language: chart labels and the summary
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401  (a Japanese font: IPAexGothic, from requirements.txt)
from IPython.display import Markdown, display

here = Path.cwd().resolve()
root = next(p for p in [here, *here.parents] if (p / "examples/measure").is_dir())
sys.path.insert(0, str(root / "examples/measure"))
import mode_costs  # noqa: E402  (examples/measure/mode_costs.py)

plt.rcParams.update({"font.family": ["DejaVu Sans", "IPAexGothic"], "font.size": 11,
                     "figure.dpi": 100})
TEXT = {
    "ja": {"memory": "逆伝播のために保持するテンソル", "kib": "保持する量（KiB）",
           "weights": "パラメータ + バッファ", "activations": "活性値（入力を含む）",
           "latency": "順伝播の時間（train_grad との比）",
           "ratio": "時間 / train_grad（中央値、ひげは IQR）"},
    "en": {"memory": "Tensors kept for backward", "kib": "kept (KiB)",
           "weights": "parameters + buffers", "activations": "activations (input included)",
           "latency": "Forward-pass time relative to train_grad",
           "ratio": "time / train_grad (median, whiskers: IQR)"},
}[LANGUAGE]

cache = root / ".cache/measure"
runs = [mode_costs.measure_cached(device, cache) for device in mode_costs.devices()]


def produced_by(run):
    env = run["environment"]
    return f"torch {env['torch']}, {env['device']} ({env['device_name']})"


for run in runs:
    env = run["environment"]
    print(f"{produced_by(run)}\n  {env['threads']} thread(s), clock {env['clock']}, "
          f"{env['rounds']} rounds\n  measured {env['measured_at']}, in {env['seconds']} s")
gpus = [run["environment"]["device_name"] for run in runs if run["environment"]["gpu"]]
print("GPU:", ", ".join(gpus) if gpus else "not measured yet (no GPU in this run)")


# %% [markdown]
# ## 要約 (summary)
#
# 次の記述は、この実行の結果からコードで自動生成したものです。結果が変われば記述も変わります。
# `faster` / `slower` は分解能を超える差、`no measurable difference` は分解能以下で差があると言えないことを表します
# （[測り方](#method)）。

# %%
for run in runs:
    display(Markdown(f"**{produced_by(run)}**\n\n"
                     + "\n".join(f"- {line}" for line in mode_costs.findings(run, LANGUAGE))))


# %% [markdown]
# ## 逆伝播のために保存するメモリ (memory)
#
# 順伝播 1 回のあとに、autograd が逆伝播用に保存しているテンソルのバイト数です。

# %%
modes = list(mode_costs.MODES)
for run in runs:
    memory = run["memory"]
    fig, axes = plt.subplots(2, 2, figsize=(9, 7.5), sharey=True, layout="constrained")
    for ax, (model, rows) in zip(axes.flat, memory.items(), strict=True):
        weights = [rows[mode]["parameter_bytes"] / 1024 for mode in modes]
        activations = [rows[mode]["activation_bytes"] / 1024 for mode in modes]
        ax.barh(modes, weights, label=TEXT["weights"], color="tab:blue")
        ax.barh(modes, activations, left=weights, label=TEXT["activations"], color="tab:orange")
        for row, (w, a) in enumerate(zip(weights, activations, strict=True)):
            if w + a == 0:
                ax.text(0, row, " 0", va="center")
        ax.set_title(model)
        ax.set_xlabel(TEXT["kib"])
    axes[0, 0].invert_yaxis()
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    fig.suptitle(f"{TEXT['memory']}\n{produced_by(run)}")
    plt.show()


# %% [markdown]
# 表の各セルは、図の棒の長さ（合計、KiB）です。

# %%
for run in runs:
    display(Markdown(f"**{produced_by(run)}**, KiB\n\n" + mode_costs.memory_table(run)))


# %% [markdown]
# 次の関係はどの実行でも成り立ちます。`examples/measure/mode_costs.py` の単独実行とテスト
# `tests/test_measure.py` で、`assert` によって確かめています。
#
# - `eval_no_grad`、`eval_inference_mode`、`eval_frozen`（入力も勾配不要）は、どのモデルでも 0 バイトです。
# - `eval_grad` は `train_grad` 以下です。`training` を読む層のない `mlp` ではまったく同じです。
#   Dropout か BatchNorm のあるモデルでは少なくなります（評価モードの Dropout は恒等写像で何も保存せず、
#   BatchNorm は移動平均（`running_mean` と `running_var`）で正規化するので、ミニバッチの統計量を保存しません）。
# - `train_front_frozen` は 0 バイトではなく、`train_grad` より少なくなります。凍結した前の部分の活性値は保存されません。
# - `train_frozen_input_grad` は、全パラメータを凍結していても、入力へ勾配を伝えるために重みを保存します。
#   `mlp` では第 1 層の重みも保存するため `train_grad` より重みが多く、代わりに重みの勾配にしか使わない各層の入力は保存しません。
# - 推論テンソルを出力するのは `eval_inference_mode` だけです。
#
# ## 速度 (latency)
#
# 基準 `train_grad` に対する順伝播の時間の比です（1 より小さいほど速い）。
# 灰色の帯が「1 ± 分解能」、ひげが四分位範囲（IQR）です。
# 緑は `faster`、赤は `slower`、灰色は `no measurable difference`、青は基準と A/A 対照（`train_grad_again`）です。

# %%
colours = {"faster": "tab:green", "slower": "tab:red",
           "no measurable difference": "tab:gray"}
for run in runs:
    latency = run["latency"]
    fig, axes = plt.subplots(2, 2, figsize=(9, 8), sharey=True, layout="constrained")
    for ax, (model, result) in zip(axes.flat, latency.items(), strict=True):
        names = [*modes, mode_costs.CONTROL]
        rows = [result["modes"][name] for name in names]
        ratios = [row["ratio"] for row in rows]
        spread = [[r["ratio"] - r["q1"] for r in rows], [r["q3"] - r["ratio"] for r in rows]]
        ax.axvspan(1 - result["resolution"], 1 + result["resolution"], color="0.9")
        ax.axvline(1, color="black", linewidth=0.8)
        ax.barh(names, ratios, xerr=spread,
                color=[colours.get(row["verdict"], "tab:blue") for row in rows])
        ax.set_title(f"{model} (±{result['resolution']:.0%})")
        ax.set_xlabel(TEXT["ratio"])
    axes[0, 0].invert_yaxis()
    fig.suptitle(f"{TEXT['latency']}\n{produced_by(run)}")
    plt.show()


# %% [markdown]
# 表の `time per forward` は、このマシンでの絶対時間です。ほかのマシンの値とは比べられません。

# %%
for run in runs:
    for model, result in run["latency"].items():
        display(Markdown(f"**{model}**, {produced_by(run)}, "
                         f"resolution ±{result['resolution']:.0%}\n\n"
                         + mode_costs.latency_table(run, model)))


# %% [markdown]
# ## 推論用の融合カーネル (fastpath)
#
# `transformer_layer` は 1 つの `nn.TransformerEncoderLayer` です。この層には推論用の融合カーネル
# （`torch._transformer_encoder_layer_fwd`、PyTorch のドキュメントが「fastpath」と呼ぶもの）があります。
# `TransformerEncoderLayer.forward`（`torch/nn/modules/transformer.py`）がこのカーネルを使うのは、次の条件が**すべて**成り立つときだけです。
#
# - 評価モード（`training=False`）で、かつ勾配が不要。つまり grad mode がオフ（`no_grad` / `inference_mode` の中）か、入力も層の重みも `requires_grad=False`
# - 3 次元（バッチ付き）の入力（nested tensor ならマスクなし）、`batch_first=True`、活性化関数が ReLU か GELU、ヘッド数が偶数、
#   アテンションにバイアスがあり q・k・v の次元が同じ、2 つの LayerNorm の `eps` が同じ
# - autocast が無効、層とそのサブモジュールに forward フック（pre フックを含む）がない、
#   入力と層の重みが CPU・CUDA・XPU・PrivateUse1 デバイス（PyTorch の外で登録したバックエンド）のどれかにあり、
#   どれも `__torch_function__` をオーバーライドしたテンソルではない（`torch.overrides.has_torch_function`）、
#   `torch.backends.mha.get_fastpath_enabled()` が `True`（既定）
#
# このページの層は 2 つ目と 3 つ目の条件を満たすので、使われるかどうかは評価モードと勾配だけで決まります。
# `eval_no_grad`、`eval_inference_mode`、`eval_frozen` では使われ、`eval_grad` では使われません
# （`examples/measure/mode_costs.py` の `assert` で確かめています）。
# 一般の `TransformerEncoderLayer` では、条件が 1 つでも欠けると、評価モードでも使われません。
# 複数層の `nn.TransformerEncoder` が nested tensor を使う経路（パディング位置の出力が 0 になる経路）には、さらに条件があります。
# `enable_nested_tensor=True`、`norm_first=False`、`src_key_padding_mask` を渡して `mask` は渡さないこと、
# マスクが左詰めであること（各系列の実トークンが先頭、パディングが末尾）などです。このページでは、その経路は測っていません。
#
# ## 測り方 (method)
#
# モデルは 4 つで、すべてコードで作ります（ダウンロードはしません）。
#
# | モデル | 中身 | 入力 |
# |---|---|---|
# | `mlp` | 全結合 4 層 | 64 × 256 |
# | `cnn_bn_dropout` | 畳み込み 2 層 + BatchNorm + Dropout + 全結合 | 16 × 3 × 32 × 32 |
# | `transformer_layer` | `nn.TransformerEncoderLayer`（`batch_first=True`） | 8 × 64 × 128 |
# | `tiny_mlp` | 16 次元の全結合 4 層。計算より Python と呼び出しのオーバーヘッドが支配的 | 1 × 16 |
#
# モードは 7 つです。基準は、普段の学習と同じ `train_grad` です。
#
# | モード | `training` | 凍結するパラメータ | 入力の `requires_grad` | 実行する文脈 |
# |---|---|---|---|---|
# | `train_grad`（基準） | `True` | なし | `False` | 通常 |
# | `eval_grad` | `False` | なし | `False` | 通常 |
# | `eval_no_grad` | `False` | なし | `False` | `no_grad()` |
# | `eval_inference_mode` | `False` | なし | `False` | `inference_mode()` |
# | `eval_frozen` | `False` | すべて | `False` | 通常 |
# | `train_frozen_input_grad` | `True` | すべて | `True` | 通常 |
# | `train_front_frozen` | `True` | モデルの前の部分（`Case.front`） | `False` | 通常 |
#
# `Case.front` は、`mlp` と `tiny_mlp` では最初の 2 つの全結合層とその ReLU、`cnn_bn_dropout` では最初の畳み込みとその BatchNorm と ReLU、
# `transformer_layer` ではセルフアテンション（`self_attn`）とその LayerNorm（`norm1`）です。
#
# - **メモリ**: 順伝播 1 回で autograd が逆伝播用に保存するテンソルを
#   `torch.autograd.graph.saved_tensors_hooks` で集め、ストレージごとに 1 回だけ数えます。
#   パラメータかバッファのストレージなら「パラメータ + バッファ」、それ以外（入力も含む）は「活性値」に数えます。
#   GPU では、順伝播中のピーク確保量（`torch.cuda.max_memory_allocated`）も測ります。
# - **速度**: 順伝播だけを測ります。同じモードで一定の短い時間（`examples/measure/mode_costs.py` の `BLOCK_SECONDS`）ぶん順伝播を繰り返したものを 1 ブロックとし、
#   全モデル × 全モードのブロックを 1 ラウンドとして、ラウンドごとに順番をシャッフルします（最初のラウンドは捨てます）。
#   こうすると、マシンの状態の揺れが、どのモードにも同じように影響します。
#   各ブロックの時間を同じラウンドの基準の時間で割り、全ラウンドにわたる比の中央値、四分位範囲（IQR）、
#   中央値の 95% 信頼区間（順序統計量による。分布を仮定しません）を求めます。
# - **時計**: CPU では 1 スレッドで実行し、そのスレッドの CPU 時間（`time.thread_time`）を測ります。
#   共有マシンで、ほかのプロセスに CPU を取られた時間を数えないためです。GPU では、同期してから壁時計時間を測ります。
# - **分解能**: 各ラウンドで基準をもう一度測ります（`train_grad_again`、A/A 対照）。
#   対照の信頼区間が 1 から離れる幅（最低 5%）を、そのモデルの分解能とします。
#   信頼区間全体が「1 ± 分解能」の外にあるときだけ `faster` / `slower` とし、
#   それ以外はすべて `no measurable difference`（この方法では差を測れない）と表示します。
#
# ## 実行環境と再実行 (environment)
#
# ページ冒頭の行に、この実行の torch のバージョン、デバイス、スレッド数、時計、ラウンド数、測定した日時（UTC）と所要秒数を示しています。
# GPU のない実行では、最後の行に、GPU は未測定（`not measured yet`）と表示されます。
#
# サイトのビルド（`make build`）では、このノートブックを毎回は実行しません。
# ノートブックのソース、`examples/measure/` のどれかのファイル、torch のバージョン、デバイス（マシン、torch のビルド、見えている GPU）、
# ノートブックを描画する設定（mkdocs-jupyter のバージョンと `mkdocs.yml` でのオプション）のどれかが変わったときだけ実行し直し、それ以外は前回の実行で描いたページを `.cache/mkdocs-jupyter/executed/` から再利用します
# （`hooks/notebooks.py`）。
# 実行し直したときも、`.cache/measure/` に保存した測定結果を、torch のバージョン、デバイス、スレッド数、マシン、
# `examples/measure/mode_costs.py` のソースのハッシュがすべて同じなら再利用します。
# 日本語版と英語版のページが同じ測定結果を表示するのはこのためです。
# 冒頭の「measured」の日時は、測定を実際に行った日時です。
#
# ## この図が示さないこと (limits)
#
# - 測ったのは順伝播だけです。逆伝播、オプティマイザ、データの読み込みは含みません。
# - 保存されたテンソルのバイト数はピークメモリではありません。一時バッファ、出力、`.grad`、オプティマイザの状態は含みません。
#   凍結で減るのは主に `.grad` とオプティマイザの状態です（[トップページの例](../#ex-grad-and-optimizer)）。
# - この 4 モデル、この入力の大きさ、このデバイス、このスレッド数での結果です。
#   大きなバッチ、複数スレッド、GPU では比が変わることがあります。
# - `no measurable difference` は「差がない」ことの証明ではありません。この方法の分解能では差があると言えない、という意味です。
# - GPU の数値は、冒頭の最後の行が GPU を示すときだけ含まれます。そうでなければ、GPU はまだ測っていません。
#
# ## ダウンロード (download)
#
# このノートブックは [measure.py](measure.py)（jupytext の percent 形式）としてダウンロードできます。
# 実行にはこのリポジトリと、`requirements.txt` で固定した環境が必要です
# （`examples/measure/mode_costs.py` を読み込むため）。
# `jupytext --to notebook measure.py` で `.ipynb` に変換できます。
