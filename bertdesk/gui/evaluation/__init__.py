"""The evaluation view: metrics, the confusion matrix and the misclassified texts."""
