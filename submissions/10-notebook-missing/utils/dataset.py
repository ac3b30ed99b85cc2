import numpy as np


def create_xor_dataset(num_samples, seq_len=8):
    """
    Create a dataset for the XOR task.

    :param num_samples: number of sequences to generate
    :param seq_len: length of each sequence
    :return: data of shape (num_samples, seq_len, 1) and labels of shape (num_samples, seq_len)
    """
    data = np.random.randint(2, size=(num_samples, seq_len, 1))
    labels = np.zeros([num_samples, seq_len], dtype=np.int64)

    for sample, label in zip(data, labels):
        total = 0
        for t in range(seq_len):
            total += sample[t, 0]
            label[t] = total % 2

    return data, labels
