<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
  <context>
    <name>BatchPredictDialog</name>
    <message numerus="yes">
      <source>%Ln row(s) predicted and saved to %1.</source>
      <translation>
        <numerusform>%Ln row predicted and saved to %1.</numerusform>
        <numerusform>%Ln rows predicted and saved to %1.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%Ln text(s) predicted; their suggestions are stored in the project.</source>
      <translation>
        <numerusform>%Ln text predicted; their suggestions are stored in the project.</numerusform>
        <numerusform>%Ln texts predicted; their suggestions are stored in the project.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Left out %Ln line(s) that cannot be read; the first, line %1: %2.</source>
      <translation>
        <numerusform>Left out %Ln line that cannot be read; the first, line %1: %2.</numerusform>
        <numerusform>Left out %Ln lines that cannot be read; the first, line %1: %2.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Left out %Ln row(s) without a text.</source>
      <translation>
        <numerusform>Left out %Ln row without a text.</numerusform>
        <numerusform>Left out %Ln rows without a text.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>The model does not know most of the words of %Ln of the texts in the table: its answers to them are guesses (see the column “Unknown words”).</source>
      <translation>
        <numerusform>The model does not know most of the words of %Ln of the texts in the table: its answers to them are guesses (see the column “Unknown words”).</numerusform>
        <numerusform>The model does not know most of the words of %Ln of the texts in the table: its answers to them are guesses (see the column “Unknown words”).</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{format} file, encoding {encoding}, %n column(s)</source>
      <translation>
        <numerusform>{format} file, encoding {encoding}, %n column</numerusform>
        <numerusform>{format} file, encoding {encoding}, %n columns</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ConfusionModel</name>
    <message numerus="yes">
      <source>{count} text(s) labelled “{true}” were predicted as “{predicted}” ({share:.0%} of “{true}”)</source>
      <translation>
        <numerusform>{count} text labelled “{true}” were predicted as “{predicted}” ({share:.0%} of “{true}”)</numerusform>
        <numerusform>{count} texts labelled “{true}” were predicted as “{predicted}” ({share:.0%} of “{true}”)</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>DoctorDialog</name>
    <message numerus="yes">
      <source>%n problem(s) found.</source>
      <translation>
        <numerusform>%n problem found.</numerusform>
        <numerusform>%n problems found.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>EvalView</name>
    <message numerus="yes">
      <source>&lt;b&gt;{split}&lt;/b&gt;: {count} text(s) · accuracy &lt;b&gt;{accuracy:.1%}&lt;/b&gt; · macro-F1 &lt;b&gt;{macro:.1%}&lt;/b&gt; · micro-F1 {micro:.1%} · weighted-F1 {weighted:.1%}</source>
      <translation>
        <numerusform>&lt;b&gt;{split}&lt;/b&gt;: {count} text · accuracy &lt;b&gt;{accuracy:.1%}&lt;/b&gt; · macro-F1 &lt;b&gt;{macro:.1%}&lt;/b&gt; · micro-F1 {micro:.1%} · weighted-F1 {weighted:.1%}</numerusform>
        <numerusform>&lt;b&gt;{split}&lt;/b&gt;: {count} texts · accuracy &lt;b&gt;{accuracy:.1%}&lt;/b&gt; · macro-F1 &lt;b&gt;{macro:.1%}&lt;/b&gt; · micro-F1 {micro:.1%} · weighted-F1 {weighted:.1%}</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} label(s) corrected since this evaluation: the matrix shows the corrected labels, the scores are from before. Evaluate again to update them.</source>
      <translation>
        <numerusform>{count} label corrected since this evaluation: the matrix shows the corrected labels, the scores are from before. Evaluate again to update them.</numerusform>
        <numerusform>{count} labels corrected since this evaluation: the matrix shows the corrected labels, the scores are from before. Evaluate again to update them.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) labelled “{true}”, predicted “{predicted}”</source>
      <translation>
        <numerusform>{count} text labelled “{true}”, predicted “{predicted}”</numerusform>
        <numerusform>{count} texts labelled “{true}”, predicted “{predicted}”</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ImportWizard</name>
    <message numerus="yes">
      <source>Added {count} text(s) to {project}.</source>
      <translation>
        <numerusform>Added {count} text to {project}.</numerusform>
        <numerusform>Added {count} texts to {project}.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>The import will add {count} text(s).</source>
      <translation>
        <numerusform>The import will add {count} text.</numerusform>
        <numerusform>The import will add {count} texts.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project kept a split other than the one the file names {hint}.</source>
      <translation>
        <numerusform>{count} text already in the project kept a split other than the one the file names {hint}.</numerusform>
        <numerusform>{count} texts already in the project kept a split other than the one the file names {hint}.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project will keep a split other than the one the file names {hint}.</source>
      <translation>
        <numerusform>{count} text already in the project will keep a split other than the one the file names {hint}.</numerusform>
        <numerusform>{count} texts already in the project will keep a split other than the one the file names {hint}.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, in no split, went to the splits the file names for them.</source>
      <translation>
        <numerusform>{count} text already in the project, in no split, went to the splits the file names for them.</numerusform>
        <numerusform>{count} texts already in the project, in no split, went to the splits the file names for them.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, in no split, will go to the splits the file names for them.</source>
      <translation>
        <numerusform>{count} text already in the project, in no split, will go to the splits the file names for them.</numerusform>
        <numerusform>{count} texts already in the project, in no split, will go to the splits the file names for them.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, unlabelled, took the labels the file gives them.</source>
      <translation>
        <numerusform>{count} text already in the project, unlabelled, took the labels the file gives them.</numerusform>
        <numerusform>{count} texts already in the project, unlabelled, took the labels the file gives them.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} text(s) already in the project, unlabelled, will take the labels the file gives them.</source>
      <translation>
        <numerusform>{count} text already in the project, unlabelled, will take the labels the file gives them.</numerusform>
        <numerusform>{count} texts already in the project, unlabelled, will take the labels the file gives them.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LabelErrorReview</name>
    <message numerus="yes">
      <source>&lt;b&gt;{count} likely label error(s)&lt;/b&gt; to review among {checked} labelled texts, most doubtful first (confident learning's estimate of the errors: {estimated}) · {source}</source>
      <translation>
        <numerusform>&lt;b&gt;{count} likely label error&lt;/b&gt; to review among {checked} labelled texts, most doubtful first (confident learning's estimate of the errors: {estimated}) · {source}</numerusform>
        <numerusform>&lt;b&gt;{count} likely label errors&lt;/b&gt; to review among {checked} labelled texts, most doubtful first (confident learning's estimate of the errors: {estimated}) · {source}</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} labelled text(s) not checked (labelled after the cross-validation): cross-validate again to include them.</source>
      <translation>
        <numerusform>{count} labelled text not checked (labelled after the cross-validation): cross-validate again to include them.</numerusform>
        <numerusform>{count} labelled texts not checked (labelled after the cross-validation): cross-validate again to include them.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LabelManager</name>
    <message numerus="yes">
      <source>%1 — %2 text(s)%3</source>
      <translation>
        <numerusform>%1 — %2 text%3</numerusform>
        <numerusform>%1 — %2 texts%3</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Delete the label '%1'? %2 text(s) will lose it. This cannot be undone, and it clears the undo history.</source>
      <translation>
        <numerusform>Delete the label '%1'? %2 text will lose it. This cannot be undone, and it clears the undo history.</numerusform>
        <numerusform>Delete the label '%1'? %2 texts will lose it. This cannot be undone, and it clears the undo history.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Give the %3 text(s) labelled '%1' the label '%2' and delete '%1'? This cannot be undone, and it clears the undo history.</source>
      <translation>
        <numerusform>Give the %3 text labelled '%1' the label '%2' and delete '%1'? This cannot be undone, and it clears the undo history.</numerusform>
        <numerusform>Give the %3 texts labelled '%1' the label '%2' and delete '%1'? This cannot be undone, and it clears the undo history.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LabelNames</name>
    <message numerus="yes">
      <source>and %n more</source>
      <translation>
        <numerusform>and %n more</numerusform>
        <numerusform>and %n more</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LabelView</name>
    <message numerus="yes">
      <source>%1 text(s)</source>
      <translation>
        <numerusform>%1 text</numerusform>
        <numerusform>%1 texts</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LearningCurvePanel</name>
    <message numerus="yes">
      <source>Scored on {count} text(s) set aside from the training texts (the project has no validation split).</source>
      <translation>
        <numerusform>Scored on {count} text set aside from the training texts (the project has no validation split).</numerusform>
        <numerusform>Scored on {count} texts set aside from the training texts (the project has no validation split).</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Scored on {count} validation text(s).</source>
      <translation>
        <numerusform>Scored on {count} validation text.</numerusform>
        <numerusform>Scored on {count} validation texts.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>ProbabilityBars</name>
    <message numerus="yes">
      <source>%n more label(s), none above {percent}</source>
      <translation>
        <numerusform>%n more label, none above {percent}</numerusform>
        <numerusform>%n more labels, none above {percent}</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>RunKinds</name>
    <message numerus="yes">
      <source>%n fold(s)</source>
      <translation>
        <numerusform>%n fold</numerusform>
        <numerusform>%n folds</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>SuggestionRefresher</name>
    <message numerus="yes">
      <source>Learned from %n label(s)</source>
      <translation>
        <numerusform>Learned from %n label</numerusform>
        <numerusform>Learned from %n labels</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>learns again after %n more</source>
      <translation>
        <numerusform>learns again after %n more</numerusform>
        <numerusform>learns again after %n more</numerusform>
      </translation>
    </message>
  </context>
</TS>
