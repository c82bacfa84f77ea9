<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
  <context>
    <name>LabelManager</name>
    <message numerus="yes">
      <source>%1 — %n text(s)%2</source>
      <translation>
        <numerusform>%1 — %n text%2</numerusform>
        <numerusform>%1 — %n texts%2</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Delete the label '%1'? %n text(s) will lose it. This cannot be undone.</source>
      <translation>
        <numerusform>Delete the label '%1'? %n text will lose it. This cannot be undone.</numerusform>
        <numerusform>Delete the label '%1'? %n texts will lose it. This cannot be undone.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Give the %n text(s) labelled '%1' the label '%2' and delete '%1'?</source>
      <translation>
        <numerusform>Give the %n text labelled '%1' the label '%2' and delete '%1'?</numerusform>
        <numerusform>Give the %n texts labelled '%1' the label '%2' and delete '%1'?</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LabelView</name>
    <message numerus="yes">
      <source>%n text(s)</source>
      <translation>
        <numerusform>%n text</numerusform>
        <numerusform>%n texts</numerusform>
      </translation>
    </message>
  </context>
</TS>
