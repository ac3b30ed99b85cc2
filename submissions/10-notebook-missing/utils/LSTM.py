import tensorflow as tf
from tensorflow.keras.initializers import GlorotUniform, Orthogonal, Zeros


class LSTMCell(tf.keras.Model):
    def __init__(self, units, kernel_initializer=GlorotUniform,
                 recurrent_initializer=Orthogonal, bias_initializer=Zeros):
        """
        Initialize the LSTM cell.

        :param units: the number of hidden units K
        :param kernel_initializer: initializer class of the input kernel
        :param recurrent_initializer: initializer class of the recurrent kernel
        :param bias_initializer: initializer class of the bias
        """
        self.units = units
        self.kernel_initializer = kernel_initializer
        self.recurrent_initializer = recurrent_initializer
        self.bias_initializer = bias_initializer
        self.state_size = (self.units, self.units)

        super(LSTMCell, self).__init__()

    def build(self, input_shape):
        """
        Create the kernel (D, 4K), the recurrent kernel (K, 4K) and the bias (4K,).

        :param input_shape: (N, D)
        """
        input_dim = input_shape[-1]

        #############################################################
        # TODO: define the shapes of the kernel, recurrent kernel   #
        # and bias.                                                 #
        #############################################################
        kernel_shape = (input_dim, 4 * self.units)
        recurrent_shape = (self.units, 4 * self.units)
        bias_shape = (4 * self.units,)
        #############################################################
        #                        END TODO                           #
        #############################################################

        self.kernel = self.add_weight(
            shape=kernel_shape,
            name='kernel',
            initializer=self.kernel_initializer(),
        )
        self.recurrent_kernel = self.add_weight(
            shape=recurrent_shape,
            name='recurrent_kernel',
            initializer=self.recurrent_initializer(),
        )
        self.bias = self.add_weight(
            shape=bias_shape,
            name='bias',
            initializer=self.bias_initializer(),
        )
        self.built = True

    def call(self, inputs, states):
        """
        One time step of the LSTM.

        :param inputs: X_t of shape (N, D)
        :param states: [h_{t-1}, c_{t-1}], each of shape (N, K)
        :return: h_t, [h_t, c_t]
        """
        h_prev, c_prev = states

        #############################################################
        # TODO: compute the new hidden state and carry state.       #
        #############################################################
        z = tf.matmul(inputs, self.kernel) + tf.matmul(h_prev, self.recurrent_kernel) + self.bias
        z_f, z_i, z_c, z_o = tf.split(z, num_or_size_splits=4, axis=1)

        f = tf.sigmoid(z_f)
        i = tf.sigmoid(z_i)
        c_tilde = tf.tanh(z_c)
        o = tf.sigmoid(z_o)

        c = f * c_prev + i * c_tilde
        h = o * tf.tanh(c)
        #############################################################
        #                        END TODO                           #
        #############################################################

        return h, [h, c]


class LSTMModel(tf.keras.Model):
    def __init__(self, units, output_dim, activation, input_shape):
        """
        An RNN built from our own LSTMCell followed by a dense output layer.

        :param units: hidden units of the LSTM cell
        :param output_dim: size of the output at every time step
        :param activation: activation of the output layer
        :param input_shape: (T, D) of one sequence
        """
        super(LSTMModel, self).__init__()

        #############################################################
        # TODO: build the RNN layer and the output layer.           #
        #############################################################
        self.rnn = tf.keras.layers.RNN(LSTMCell(units), return_sequences=True, input_shape=input_shape)
        self.dense = tf.keras.layers.Dense(output_dim, activation=activation)
        #############################################################
        #                        END TODO                           #
        #############################################################

    def call(self, inputs):
        inputs = tf.cast(inputs, tf.float32)

        #############################################################
        # TODO: run the RNN and the output layer.                   #
        #############################################################
        x = self.rnn(inputs)
        output = self.dense(x)
        #############################################################
        #                        END TODO                           #
        #############################################################

        return output
